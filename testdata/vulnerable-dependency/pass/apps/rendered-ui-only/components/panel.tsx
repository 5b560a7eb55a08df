'use client'

import { useEffect, useState } from 'react'

export function Panel() {
  const [count, setCount] = useState(0)
  useEffect(() => {
    fetch('/api/invoices/count').then((r) => r.json()).then((c) => setCount(c.count))
  }, [])
  return <p>{count} invoices</p>
}
