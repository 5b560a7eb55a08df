import 'server-only' // expect: server-only-in-client

export class ApiFailure extends Error {
  code = 'failed'
}
