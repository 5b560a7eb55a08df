import { AccountNav } from '../components/AccountNav'

export default function AccountNavPage() {
  return <AccountNav plan="pro" /> /* expect: client-only-auth */
}
