import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query'
import { listProducts } from '../../actions/products'
import { ProductGrid } from './product-grid'
import { listMargins } from '../../lib/margins'

export default async function CatalogPage() {
  const queryClient = new QueryClient()
  await queryClient.prefetchQuery({ queryKey: ['products'], queryFn: listProducts })
  const margins = await listMargins()
  queryClient.setQueryData(['margins'], margins)
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ProductGrid />
    </HydrationBoundary>
  )
}
