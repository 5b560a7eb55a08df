import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query'
import { listProducts } from '../../actions/products'
import { ProductGrid } from './product-grid'

// The data comes through `listProducts`, a server action: any caller can run it without
// this page, so skipping the middleware here reveals nothing more.
export default async function CatalogPage() {
  const queryClient = new QueryClient()
  await queryClient.prefetchQuery({ queryKey: ['products'], queryFn: listProducts })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ProductGrid />
    </HydrationBoundary>
  )
}
