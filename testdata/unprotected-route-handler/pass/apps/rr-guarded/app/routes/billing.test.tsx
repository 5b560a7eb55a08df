// Ignored by `ignoredRouteFiles`: not a route.
export async function loader() {
  return fetch('https://example.com').then((r) => r.json())
}
