import { GreetingCard } from '../components/GreetingCard'

export default function Greeting() {
  return <GreetingCard /> /* expect: client-only-auth */
}
