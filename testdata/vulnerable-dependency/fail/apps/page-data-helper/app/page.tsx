// The public home page (the middleware leaves `/` public).
export default function Home() {
  return <h1>Shop</h1>
}
