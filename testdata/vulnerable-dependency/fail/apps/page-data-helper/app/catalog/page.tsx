import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query'
import { listProducts } from '../../lib/products'
import { ProductGrid } from './product-grid'

export default async function CatalogPage() {
  const queryClient = new QueryClient()
  await queryClient.prefetchQuery({ queryKey: ['products'], queryFn: listProducts })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ProductGrid />
    </HydrationBoundary>
  )
}
