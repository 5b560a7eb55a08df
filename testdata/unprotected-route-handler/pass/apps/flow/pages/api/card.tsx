// A component that ended up under pages/api: not an endpoint.
export default function Card({ title }: { title: string }) {
  return <div className="card">{title}</div>
}
