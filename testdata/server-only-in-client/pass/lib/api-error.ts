import 'server-only'

export class ApiError extends Error {
  constructor(public code: 'not_found' | 'forbidden') {
    super(code)
  }
}

export function parseError(e: unknown) {
  return e instanceof ApiError ? e.code : null
}
