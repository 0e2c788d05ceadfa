import { lazy, type JSX } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppFrame } from './components/app-frame';
import { RequireAuth, RequirePermission } from './auth/guards';
import { PERM } from './auth/permissions';
import { SessionProvider } from './auth/session';
import { FLIGHT_PERM } from './api/flights';
import { SUPPLY_PERM } from './api/supply';
import { LoginPage } from './pages/login.page';
import { NotFoundPage } from './pages/not-found.page';

// Every page behind the frame is its own chunk so the first load stays small; ECharts only loads
// with the overview chart.
const OverviewPage = lazy(() => import('./pages/overview.page'));
const UsersPage = lazy(() => import('./pages/users.page'));
const RolesPage = lazy(() => import('./pages/roles.page'));
const ApiKeysPage = lazy(() => import('./pages/api-keys.page'));
const AuditPage = lazy(() => import('./pages/audit.page'));
const ProfilePage = lazy(() => import('./pages/profile.page'));
const FlightsPage = lazy(() => import('./pages/flights/flights.page'));
const FlightPage = lazy(() => import('./pages/flights/flight.page'));
const AircraftPage = lazy(() => import('./pages/flights/aircraft.page'));
const FleetPage = lazy(() => import('./pages/flights/fleet.page'));
const SupplyOverviewPage = lazy(() => import('./pages/supply/overview.page'));
const RiskRankingPage = lazy(() => import('./pages/supply/risk.page'));
const AlertsPage = lazy(() => import('./pages/supply/alerts.page'));
const InventoryPage = lazy(() => import('./pages/supply/inventory.page'));
const PartPage = lazy(() => import('./pages/supply/part.page'));
const SuppliersPage = lazy(() => import('./pages/supply/suppliers.page'));
const RiskEventsPage = lazy(() => import('./pages/supply/risk-events.page'));
const ImportsPage = lazy(() => import('./pages/supply/imports.page'));

const supply = (
  path: string,
  page: JSX.Element,
  perm: string = SUPPLY_PERM.supplyRead,
  what = 'supply data',
) => ({
  path,
  element: (
    <RequirePermission perm={perm} what={what}>
      {page}
    </RequirePermission>
  ),
});

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppFrame />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <OverviewPage /> },
      {
        path: 'users',
        element: (
          <RequirePermission perm={PERM.usersRead} what="users">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'roles',
        element: (
          <RequirePermission perm={PERM.rolesRead} what="roles">
            <RolesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'api-keys',
        element: (
          <RequirePermission perm={PERM.apiKeysRead} what="API keys">
            <ApiKeysPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission perm={PERM.auditRead} what="the audit log">
            <AuditPage />
          </RequirePermission>
        ),
      },
      {
        path: 'flights',
        element: (
          <RequirePermission perm={FLIGHT_PERM.flightsRead} what="flights">
            <FlightsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'flights/:id',
        element: (
          <RequirePermission perm={FLIGHT_PERM.flightsRead} what="flights">
            <FlightPage />
          </RequirePermission>
        ),
      },
      {
        path: 'fleet',
        element: (
          <RequirePermission perm={FLIGHT_PERM.flightsRead} what="fleet risk">
            <FleetPage />
          </RequirePermission>
        ),
      },
      {
        path: 'aircraft',
        element: (
          <RequirePermission perm={FLIGHT_PERM.aircraftRead} what="the aircraft registry">
            <AircraftPage />
          </RequirePermission>
        ),
      },
      supply('supply', <SupplyOverviewPage />),
      supply('supply/risk', <RiskRankingPage />),
      supply('supply/alerts', <AlertsPage />, SUPPLY_PERM.alertsRead, 'alerts'),
      supply('supply/parts', <InventoryPage />),
      supply('supply/parts/:id', <PartPage />),
      supply('supply/suppliers', <SuppliersPage />),
      supply('supply/risk-events', <RiskEventsPage />),
      supply('supply/imports', <ImportsPage />),
      { path: 'profile', element: <ProfilePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
