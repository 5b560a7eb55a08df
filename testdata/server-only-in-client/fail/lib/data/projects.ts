import 'server-only' // expect: server-only-in-client
export async function listProjects() {
  return []
}
