export default function Home() {
  return <p>Drafts are kept for a week.</p>
}
