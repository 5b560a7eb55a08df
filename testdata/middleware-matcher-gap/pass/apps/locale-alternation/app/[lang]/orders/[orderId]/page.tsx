export default function Order() {
  return <p>order</p>
}
