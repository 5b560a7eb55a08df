import { MarketingNav } from '../components/MarketingNav'

export default function Features() {
  return (
    <main>
      <MarketingNav />
      <h1>Features</h1>
    </main>
  )
}
