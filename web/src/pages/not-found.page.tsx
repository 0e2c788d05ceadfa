import { Link } from 'react-router';
import { EmptyState } from '../components/ui';
import { useTitle } from '../lib/use-async';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <EmptyState icon="alert" title="Page not found">
      There is no page at this address. <Link to="/">Go to the overview</Link>.
    </EmptyState>
  );
}
