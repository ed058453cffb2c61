import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { Random } from '../../demo/random.js';

/**
 * Realistic GIAS downloads for tests: the establishment file's real column names
 * (a subset of its ~130), several authorities, names with Windows-1252 characters
 * (’ – é), dates as dd-mm-yyyy, and the links file pairing predecessors with
 * successors. The real files are public but not reachable from here.
 */
export const ESTABLISHMENT_COLUMNS = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentNumber',
  'EstablishmentName',
  'TypeOfEstablishment (code)',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (name)',
  'OpenDate',
  'CloseDate',
  'PhaseOfEducation (name)',
  'StatutoryLowAge',
  'StatutoryHighAge',
  'NumberOfPupils',
  'OfstedLastInsp',
  'OfstedRating (name)',
  'Street',
  'Locality',
  'Address3',
  'Town',
  'County (name)',
  'Postcode',
  'HeadTitle (name)',
  'HeadFirstName',
  'HeadLastName',
  'DistrictAdministrative (name)',
  'Trusts (name)',
  'SchoolSponsors (name)',
  'UKPRN',
];
export const LINK_COLUMNS = ['URN', 'LinkURN', 'LinkName', 'LinkType', 'LinkEstablishedDate'];

const LAS = [
  { code: 926, name: 'Norfolk', districts: ['Breckland', 'Broadland', 'Great Yarmouth', 'North Norfolk', 'Norwich', 'South Norfolk'] },
  { code: 925, name: 'Lincolnshire', districts: ['Boston', 'East Lindsey', 'Lincoln'] },
  { code: 881, name: 'Essex', districts: ['Basildon', 'Braintree', 'Colchester'] },
];
const KINDS = [
  { type: 'Community school', group: 'Local authority maintained schools', phase: 'Primary', ages: [4, 11] },
  { type: 'Voluntary aided school', group: 'Local authority maintained schools', phase: 'Primary', ages: [4, 11] },
  { type: 'Foundation school', group: 'Local authority maintained schools', phase: 'Secondary', ages: [11, 18] },
  { type: 'Academy converter', group: 'Academies', phase: 'Secondary', ages: [11, 16] },
  { type: 'Academy sponsor led', group: 'Academies', phase: 'Primary', ages: [3, 11] },
  { type: 'Community special school', group: 'Special schools', phase: 'Not applicable', ages: [2, 19] },
  { type: 'Pupil referral unit', group: 'Local authority maintained schools', phase: 'Not applicable', ages: [5, 16] },
  { type: 'Free schools 16 to 19', group: 'Free Schools', phase: '16 plus', ages: [16, 19] },
  { type: 'Local authority nursery school', group: 'Local authority maintained schools', phase: 'Nursery', ages: [2, 5] },
];
const PLACES = ['Attleborough', 'Aylsham', 'Cromer', 'Diss', 'Fakenham', 'Holt', 'Loddon', 'Swaffham', 'Wymondham', 'Thetford', 'Watton', 'Harleston'];
const SAINTS = ['St Mary’s', 'St Æthelberht’s', 'St Peter and St Paul', 'Bishop’s', 'Holy Trinity – Église'];

export interface Fixture {
  rows: Record<string, string>[];
  links: Record<string, string>[];
}

/** About `count` establishments over three authorities, a few closed and succeeded by academies. */
export function giasFixture(count: number, seed = 7): Fixture {
  const rnd = new Random(seed);
  const rows: Record<string, string>[] = [];
  const links: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const la = LAS[i % LAS.length]!;
    const kind = rnd.pick(KINDS);
    const place = rnd.pick(PLACES);
    const name = `${rnd.chance(0.2) ? `${rnd.pick(SAINTS)} ` : ''}${place} ${kind.phase === 'Secondary' ? 'High School' : kind.phase === 'Nursery' ? 'Nursery School' : kind.type.includes('special') ? 'Special School' : 'Primary School'} ${i}`;
    rows.push({
      URN: String(100_000 + i),
      'LA (code)': String(la.code),
      'LA (name)': la.name,
      EstablishmentNumber: String(2000 + i),
      EstablishmentName: name,
      'TypeOfEstablishment (code)': String(KINDS.indexOf(kind) + 1),
      'TypeOfEstablishment (name)': kind.type,
      'EstablishmentTypeGroup (name)': kind.group,
      'EstablishmentStatus (name)': 'Open',
      OpenDate: rnd.chance(0.3) ? `01-09-20${String(rnd.int(10, 22)).padStart(2, '0')}` : '',
      CloseDate: '',
      'PhaseOfEducation (name)': kind.phase,
      StatutoryLowAge: String(kind.ages[0]),
      StatutoryHighAge: String(kind.ages[1]),
      NumberOfPupils: String(rnd.int(40, 1600)),
      OfstedLastInsp: `${String(rnd.int(1, 28)).padStart(2, '0')}-${String(rnd.int(1, 12)).padStart(2, '0')}-20${rnd.int(15, 25)}`,
      'OfstedRating (name)': rnd.pick(['Outstanding', 'Good', 'Good', 'Requires improvement', 'Inadequate', '']),
      Street: `${rnd.int(1, 99)} School Lane`,
      Locality: rnd.chance(0.3) ? 'Upper End' : '',
      Address3: '',
      Town: place,
      'County (name)': la.name,
      Postcode: `NR${rnd.int(1, 35)} ${rnd.int(1, 9)}AB`,
      'HeadTitle (name)': rnd.pick(['Mr', 'Mrs', 'Ms', 'Dr']),
      HeadFirstName: rnd.pick(['Alison', 'Bernard', 'Chloé', 'Dominic']),
      HeadLastName: rnd.pick(['Ashworth', 'Blythe', 'O’Connor', 'Dunmore']),
      'DistrictAdministrative (name)': rnd.pick(la.districts),
      'Trusts (name)': kind.group === 'Academies' ? 'Broadland Learning Trust' : '',
      'SchoolSponsors (name)': kind.type === 'Academy sponsor led' ? 'Inspiration Trust' : '',
      UKPRN: String(10_000_000 + i),
    });
  }
  // Every 25th maintained school closed and became an academy, listed in both directions as GIAS does.
  for (let i = 0; i < count; i += 25) {
    const old = rows[i]!;
    const urn = 200_000 + i;
    Object.assign(old, { 'EstablishmentStatus (name)': 'Closed', CloseDate: '31-08-2023' });
    rows.push({
      ...old,
      URN: String(urn),
      EstablishmentNumber: String(6000 + i),
      EstablishmentName: `${old.EstablishmentName} Academy`,
      'TypeOfEstablishment (name)': 'Academy sponsor led',
      'EstablishmentStatus (name)': 'Open',
      OpenDate: '01-09-2023',
      CloseDate: '',
      'SchoolSponsors (name)': 'Inspiration Trust',
    });
    links.push({ URN: old.URN!, LinkURN: String(urn), LinkName: `${old.EstablishmentName} Academy`, LinkType: 'Successor', LinkEstablishedDate: '01-09-2023' });
    links.push({ URN: String(urn), LinkURN: old.URN!, LinkName: old.EstablishmentName!, LinkType: 'Predecessor', LinkEstablishedDate: '01-09-2023' });
  }
  return { rows, links };
}

/** Writes rows as a GIAS download does: a header row, quoted where needed, Windows-1252. */
export async function writeGiasCsv(file: string, columns: string[], rows: Record<string, string>[]): Promise<void> {
  await writeFile(file, iconv.encode(stringify(rows, { header: true, columns, record_delimiter: 'windows' }), 'win1252'));
}
