export async function lookupAgentKey(_req: Request, bearer?: string) {
  if (!bearer) return undefined
  const row = await fetch(`${process.env.KEY_SERVICE_URL}/keys/${bearer}`).then((r) => r.json())
  return row.active ? { token: bearer, clientId: row.owner, scopes: row.scopes } : undefined
}
