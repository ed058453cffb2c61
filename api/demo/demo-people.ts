/**
 * Fictional people and places for the demo county. Any likeness to real people is
 * accidental; school names for the academy conversions come from seed 003 instead.
 */
export const COUNTY = {
  name: 'Northmarsh',
  council: 'Northmarsh County Council',
  laCode: 926,
  emailDomain: 'northmarsh.example',
  postcodeArea: 'NR',
};

export const DISTRICTS = ['Breckmoor', 'Broadwater', 'Yarmouth Sands', 'West Fenland', 'North Coast', 'Norbury', 'South Vale'] as const;

export const FIRST_NAMES = [
  'Alison',
  'Bernard',
  'Catherine',
  'Dominic',
  'Eleanor',
  'Fergus',
  'Gillian',
  'Harriet',
  'Imran',
  'Janet',
  'Keith',
  'Lorna',
  'Malcolm',
  'Nadia',
  'Oliver',
  'Priya',
  'Quentin',
  'Rosalind',
  'Stuart',
  'Tamsin',
  'Umar',
  'Valerie',
  'Wendell',
  'Yvonne',
  'Zachary',
  'Bridget',
  'Callum',
  'Deborah',
  'Edwin',
  'Fiona',
];

export const LAST_NAMES = [
  'Ashworth',
  'Blythe',
  'Carrow',
  'Dunmore',
  'Ellery',
  'Fenwick',
  'Gorleston',
  'Hapton',
  'Ingham',
  'Jessop',
  'Kettering',
  'Larwood',
  'Marsham',
  'Newbold',
  'Ormesby',
  'Pelling',
  'Quarles',
  'Reepham',
  'Saxby',
  'Thurlow',
  'Upcott',
  'Venning',
  'Wroxham',
  'Yelland',
  'Ashill',
  'Brundall',
  'Coltishall',
  'Dilham',
  'Elsing',
  'Foulden',
];

/** Invented villages and towns, used for the maintained schools. */
export const PLACES = [
  'Ashby Fen',
  'Burnham Staithe',
  'Catfield Green',
  'Dereham Heath',
  'Eccles Marsh',
  'Fakenby',
  'Gressenhall Row',
  'Hethel Cross',
  'Ickburgh Moor',
  'Kelling Down',
  'Lingwood End',
  'Mundham Parva',
  'Narborough Fen',
  'Oulton Staithe',
  'Poringland Heath',
  'Quidenham Cross',
  'Ringland Vale',
  'Sporle Green',
  'Thurne Marsh',
  'Upwell Drove',
  'Walcott Sands',
  'Yaxham St Peter',
  'Aldeby Common',
  'Bawdeswell',
];

export const PARTNERS = [
  { name: 'Margaret Ellery', role: 'manager', employer: 'Northmarsh County Council' },
  { name: 'Robert Fenwick', role: 'manager', employer: 'Northmarsh County Council' },
  { name: 'Helen Ashworth', role: 'partner', employer: 'Northmarsh County Council' },
  { name: 'David Okafor', role: 'partner', employer: 'Northmarsh County Council' },
  { name: 'Sarah Lindqvist', role: 'partner', employer: 'Northmarsh County Council' },
  { name: 'Peter Marsham', role: 'partner', employer: 'Fenland Education Associates Ltd' },
  { name: 'Anjali Desai', role: 'partner', employer: 'Northmarsh County Council' },
  { name: 'Thomas Brundall', role: 'partner', employer: 'Broadwater Consultancy' },
  { name: 'Claire Pelling', role: 'partner', employer: 'Northmarsh County Council' },
  { name: 'Martin Saxby', role: 'partner', employer: 'Northmarsh County Council' },
] as const;

/** A partner new this year, mentored by an experienced one (quality assurance): made after the rest of the county. */
export const NEWCOMER = { name: 'Zoe Newcombe', role: 'partner', employer: 'Northmarsh County Council' } as const;

/** Everyone with a mailbox in the demo county: the partners and managers, and the newcomer. */
export const ALL_PEOPLE = [...PARTNERS, NEWCOMER] as const;

export function emailFor(name: string): string {
  return `${name
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.')}@${COUNTY.emailDomain}`;
}
