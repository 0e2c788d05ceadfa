export { RiskEventsPage as default } from './directory.page';
