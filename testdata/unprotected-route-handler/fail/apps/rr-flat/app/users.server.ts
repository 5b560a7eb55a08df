export async function getUser(id: string) {
  return fetch(`https://api.example.com/users/${id}`).then((r) => r.json())
}
export async function saveItem(item: unknown) {
  await fetch('https://api.example.com/items', { method: 'POST', body: JSON.stringify(item) })
}
