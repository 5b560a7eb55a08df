// A fetch helper kept under pages/api: its first parameter is declared a string, so it was not
// written to take a request (nothing routes to it on purpose).
export default async function searchContexts(course: string, query: string) {
  const res = await fetch(`${process.env.BACKEND_URL}/contexts`, {
    method: 'POST',
    body: JSON.stringify({ course, query }),
  })
  return res.json()
}
