import Link from 'next/link'

export default function Home() {
  return (
    <section>
      <h1>Acme Projects</h1>
      <p>Plan, track and ship.</p>
      <Link href="/dashboard">Open your dashboard</Link>
    </section>
  )
}
