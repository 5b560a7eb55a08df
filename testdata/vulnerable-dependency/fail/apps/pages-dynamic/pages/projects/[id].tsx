import { useRouter } from 'next/router'

export default function Project() {
  const { query } = useRouter()
  return <h1>Project {String(query.id)}</h1>
}
