// A Pages Router page: the component runs in the browser, getServerSideProps does not.
const stripeKey = process.env.STRIPE_SECRET_KEY // expect: secret-key-exposed-env

export async function getServerSideProps() {
  const key = process.env.CLERK_SECRET_KEY
  return { props: { ok: Boolean(key) } }
}

export default function Invoices() {
  return <p>{stripeKey ? 'configured' : 'missing'}</p>
}
