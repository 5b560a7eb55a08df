export async function readBearer(_req: Request, bearer?: string) {
  if (!bearer) return undefined
  return { token: bearer, clientId: 'agent', scopes: [] }
}
