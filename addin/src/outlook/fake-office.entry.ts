import { createFakeOffice, newFakeAppointment, type FakeAppointment, type FakeOfficeOptions } from './fake-office.js';

/**
 * Built as /addin/static/fake-office.js and served in place of Office.js's CDN
 * script by the end-to-end tests. The appointment is kept in localStorage, so
 * reloading the pane is re-opening it on the same appointment.
 */
declare global {
  interface Window {
    __SV_FAKE_OFFICE__?: {
      appointment?: Partial<FakeAppointment>;
      user: FakeOfficeOptions['user'];
      theme?: FakeOfficeOptions['theme'];
      failures?: FakeOfficeOptions['failures'];
    };
  }
}

const KEY = 'sv.fakeOutlook.appointment';
const setup = window.__SV_FAKE_OFFICE__ ?? { user: { emailAddress: 'someone@council.example', displayName: 'Someone' } };
const stored = localStorage.getItem(KEY);
const appointment: FakeAppointment = stored ? JSON.parse(stored) : newFakeAppointment(setup.appointment);
window.Office = createFakeOffice(appointment, {
  user: setup.user,
  theme: setup.theme,
  failures: setup.failures,
  onChange: (a) => localStorage.setItem(KEY, JSON.stringify(a)),
});
localStorage.setItem(KEY, JSON.stringify(appointment));
