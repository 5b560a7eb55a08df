'use client'

import { useQuery } from '@tanstack/react-query'
import { listProducts } from '../../lib/products'

export function ProductGrid() {
  const { data } = useQuery({ queryKey: ['products'], queryFn: () => listProducts() })
  return <ul>{(data ?? []).map((p: { id: string }) => <li key={p.id}>{p.id}</li>)}</ul>
}
