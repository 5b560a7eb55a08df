import { BalanceCard } from '../components/BalanceCard'

export default function Balance() {
  return <BalanceCard /> /* expect: client-only-auth */
}
