export { SuppliersPage as default } from './directory.page';
