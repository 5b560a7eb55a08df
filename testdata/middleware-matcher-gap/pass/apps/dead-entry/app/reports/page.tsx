export default function Reports() {
  return <p>Reports</p>
}
