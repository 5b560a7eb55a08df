// A server component passing secrets to client components as props.
import { CheckoutForm } from '@/components/ui'
import dynamic from 'next/dynamic'

const Widget = dynamic(() => import('../../components/Widget'))

export default function BillingPage() {
  const token = process.env.WIDGET_SECRET
  return (
    <main>
      <CheckoutForm
        stripeKey={process.env.STRIPE_SECRET_KEY} // expect: secret-key-exposed-env
        publishableKey={process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY}
      />
      <Widget token={token} /> {/* expect: secret-key-exposed-env */}
    </main>
  )
}
