export async function listProducts() {
  const res = await fetch('https://internal.example.com/products')
  return res.json()
}
