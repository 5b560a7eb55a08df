// Not a route module: only `route.*` in a route folder is.
export async function loader() {
  return Response.json(await fetch('https://example.com').then((r) => r.json()))
}
