export default function Billing() {
  return <p>Plans</p>
}
