'use client'
export function CheckoutForm(props: { stripeKey?: string; publishableKey?: string }) {
  return <form data-pk={props.publishableKey} />
}
