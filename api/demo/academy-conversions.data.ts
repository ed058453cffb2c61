/**
 * Norfolk academy conversions in 2013 and the Norfolk LA risk categories.
 *
 * Source: seed 003 (Norfolk Children's Services Overview and Scrutiny Panel papers,
 * 2013): "Operational Academies in Norfolk at 13 November 2013" (Appendix 2 to the
 * panel's action list of 24 October 2013: "17 schools have converted"), and
 * "Risk Analysis and School Categorisation (September 2013)".
 *
 * Notes on the conversions table:
 * - The table gives bare establishment numbers (e.g. 4006). The Norfolk LA code 926 is
 *   not in the table; it is prefixed here following DOMAIN.md (e.g. 926/4006).
 * - The two free schools have no former school ("-" in the Old DfE No column), so
 *   formerDfeNumber is null for them and formerName repeats the table's School column.
 * - The table carries a colour key (Primary converter, Secondary converter, Primary
 *   sponsored, Secondary sponsored, Special converter, Phase 1, Free school) that is
 *   lost in the text, so every phase below is inferred (see the comment on each row).
 * - Sponsor "-" in the table is null here; converters have no sponsor.
 * - The table gives no district. Where the document names a town in the school's
 *   name, the district is inferred from that town (general knowledge, not from the
 *   document); otherwise null. Seed 003 does not list Norfolk districts, so no
 *   DISTRICTS list is exported from this module.
 *
 * The risk categorisation is confidential: only council staff and the school itself
 * may see a school's category (seed 003: "shared in confidence only between the
 * relevant parts of Children's Services and individual schools", and with the Local
 * Member if the school is a cause for concern).
 */

export interface AcademyConversionSeed {
  formerName: string;
  /** '926/1234'; null for a free school, which has no former school. */
  formerDfeNumber: string | null;
  academyName: string;
  academyDfeNumber: string;
  sponsor: string | null;
  /** ISO yyyy-mm-dd */
  convertedOn: string | null;
  phase: 'nursery' | 'primary' | 'secondary' | 'special' | 'pru' | 'all_through' | 'sixteen_plus';
  academyType: 'academy_converter' | 'sponsored_academy' | 'free_school';
  district: string | null;
}

export const ACADEMY_CONVERSIONS: readonly AcademyConversionSeed[] = [
  {
    formerName: 'Hockwold & Methwold Community School',
    formerDfeNumber: '926/4047',
    academyName: 'The Icen Academy',
    academyDfeNumber: '926/6911',
    sponsor: 'ATT', // Academies Transformation Trust (expanded in seed 003 para 3.8)
    convertedOn: '2013-01-01',
    phase: 'secondary', // inferred: former number in the 4xxx secondary range
    academyType: 'sponsored_academy',
    district: "King's Lynn and West Norfolk", // inferred from Methwold
  },
  {
    formerName: 'Hobart High School, Loddon',
    formerDfeNumber: '926/4006',
    academyName: 'Hobart High School (Academy)',
    academyDfeNumber: '926/4006',
    sponsor: null,
    convertedOn: '2013-02-01',
    phase: 'secondary', // inferred: "High School"
    academyType: 'academy_converter',
    district: 'South Norfolk', // inferred from Loddon
  },
  {
    formerName: 'Heartsease Primary, Norwich',
    formerDfeNumber: '926/3423',
    academyName: 'Heartsease Primary Academy (The HEART Academy Trust)',
    academyDfeNumber: '926/3423',
    sponsor: null,
    convertedOn: '2013-04-01',
    phase: 'primary', // inferred: "Primary"
    academyType: 'academy_converter',
    district: 'Norwich', // inferred from "Norwich" in the name
  },
  {
    formerName: 'Taverham High School',
    formerDfeNumber: '926/4084',
    academyName: 'Taverham High School (Academy)',
    academyDfeNumber: '926/4084',
    sponsor: null,
    convertedOn: '2013-04-01',
    phase: 'secondary', // inferred: "High School"
    academyType: 'academy_converter',
    district: 'Broadland', // inferred from Taverham
  },
  {
    formerName: 'Cliff Park Infant School',
    formerDfeNumber: '926/2353',
    academyName: 'Cliff Park Infant School (Academy) (Cliff Park Schools Trust Ltd)',
    academyDfeNumber: '926/2353',
    sponsor: null,
    convertedOn: '2013-04-01',
    phase: 'primary', // inferred: "Infant School" (infant schools are primary phase)
    academyType: 'academy_converter',
    district: null, // not given; no town in the name
  },
  {
    formerName: 'Cliff Park Junior School',
    formerDfeNumber: '926/2352',
    academyName: 'Cliff Park Junior School (Academy)',
    academyDfeNumber: '926/2039',
    sponsor: 'Cliff Park Schools Trust Ltd', // table prints it in parentheses
    convertedOn: '2013-04-01',
    phase: 'primary', // inferred: "Junior School" (junior schools are primary phase)
    academyType: 'sponsored_academy',
    district: null, // not given; no town in the name
  },
  {
    formerName: 'Arden Grove Infant & Nursery',
    formerDfeNumber: '926/2289',
    academyName: 'Arden Grove Infant & Nursery School (Academy)',
    academyDfeNumber: '926/2289',
    sponsor: null,
    convertedOn: '2013-06-01',
    phase: 'primary', // inferred: infant school with a nursery class, 2xxx number
    academyType: 'academy_converter',
    district: null, // not given; no town in the name
  },
  {
    formerName: 'Woodlands Primary, Bradwell',
    formerDfeNumber: '926/2380',
    academyName: 'Woodlands Primary Academy',
    academyDfeNumber: '926/2046',
    sponsor: 'Lynn Grove Academy', // para 3.8 calls the sponsor "Lynn Grove High School"
    convertedOn: '2013-07-01',
    phase: 'primary', // inferred: "Primary"
    academyType: 'sponsored_academy',
    district: 'Great Yarmouth', // inferred from Bradwell
  },
  {
    formerName: 'Downham Market High School',
    formerDfeNumber: '926/5402',
    academyName: 'Downham Market Academy',
    academyDfeNumber: '926/4001',
    sponsor: 'College of West Anglia',
    convertedOn: '2013-07-01',
    phase: 'secondary', // inferred: "High School"
    academyType: 'sponsored_academy',
    district: "King's Lynn and West Norfolk", // inferred from Downham Market
  },
  {
    formerName: 'Norwich Road School',
    formerDfeNumber: '926/5204',
    academyName: 'Norwich Road Academy',
    academyDfeNumber: '926/2044',
    sponsor: 'ATT', // Academies Transformation Trust (expanded in seed 003 para 3.8)
    convertedOn: '2013-08-01',
    phase: 'primary', // inferred: new number in the 2xxx primary range
    academyType: 'sponsored_academy',
    district: null, // not given; "Norwich Road" is a street name, not a town
  },
  {
    formerName: 'Costessey Infant School',
    formerDfeNumber: '926/2042',
    academyName: 'Costessey Infant School (Costessey Academy Trust)',
    academyDfeNumber: '926/2042',
    sponsor: null,
    convertedOn: '2013-09-01',
    phase: 'primary', // inferred: "Infant School"
    academyType: 'academy_converter',
    district: 'South Norfolk', // inferred from Costessey
  },
  {
    formerName: 'Larkman Primary',
    formerDfeNumber: '926/3419',
    academyName: 'Norwich Primary Academy',
    academyDfeNumber: '926/2047',
    sponsor: 'Inspiration Trust',
    convertedOn: '2013-09-01',
    phase: 'primary', // inferred: "Primary"
    academyType: 'sponsored_academy',
    district: 'Norwich', // inferred from the new name "Norwich Primary Academy"
  },
  {
    formerName: 'Sir Isaac Newton Sixth Form Free School, Norwich',
    formerDfeNumber: null, // free school: "-" in the table
    academyName: 'Sir Isaac Newton Sixth Form Free School, Norwich',
    academyDfeNumber: '926/4007',
    sponsor: 'Inspiration Trust',
    convertedOn: '2013-09-01', // opening date
    phase: 'sixteen_plus', // a 16-19 free school (sixth form only)
    academyType: 'free_school',
    district: 'Norwich', // inferred from "Norwich" in the name
  },
  {
    formerName: 'Thetford (Alternative Provision) Free School',
    formerDfeNumber: null, // free school: "-" in the table
    academyName: 'Thetford (AP) Free School',
    academyDfeNumber: '926/1112',
    sponsor: 'Thetford AP Free School Trust',
    convertedOn: '2013-09-01', // opening date
    phase: 'pru', // inferred: alternative provision, 11xx number (the PRU range)
    academyType: 'free_school',
    district: 'Breckland', // inferred from Thetford
  },
  {
    formerName: 'Fakenham High School',
    formerDfeNumber: '926/4091',
    academyName: 'Fakenham Academy Norfolk',
    academyDfeNumber: '926/4003',
    sponsor: 'TEN', // Transforming Education in Norfolk (expanded in seed 003 para 3.8)
    convertedOn: '2013-10-01',
    phase: 'secondary', // inferred: "High School"
    academyType: 'sponsored_academy',
    district: 'North Norfolk', // inferred from Fakenham
  },
  {
    formerName: 'Moorlands Primary',
    formerDfeNumber: '926/2005',
    academyName: 'Moorlands CE Primary',
    academyDfeNumber: '926/2052',
    sponsor: 'DNEAT', // not expanded in the document
    convertedOn: '2013-11-01',
    phase: 'primary', // inferred: "Primary"
    academyType: 'sponsored_academy',
    district: null, // not given; no town in the name
  },
  {
    formerName: 'Hethersett High',
    formerDfeNumber: '926/4082',
    academyName: 'Hethersett Academy',
    academyDfeNumber: '926/4009',
    sponsor: 'Inspiration Trust',
    convertedOn: '2013-11-01',
    phase: 'secondary', // inferred: "High"
    academyType: 'sponsored_academy',
    district: 'South Norfolk', // inferred from Hethersett
  },
];

/**
 * Norfolk LA risk categories (seed 003). The risk analysis is "a pre-inspection
 * hypothesis based on an analysis of achievement and Ofsted outcomes over time"; it
 * categorises all Norfolk schools, including academies and free schools, and "defines
 * the relationship between the LA and the school". Schools are "categorised 6 ways, as
 * schools of concern (category A and D), as requiring improvement (category B and C)
 * as good or great (category E and F)". The category is "revisited and revised at least
 * termly, or when new performance information is available".
 *
 * The document reports D1-3 only as one row, "Schools in transition", and does not
 * say how D1, D2 and D3 differ; they share one description here. (The panel minutes
 * also note that "the A to F ratings given to schools were not in strict alphabetical
 * order. Many schools were moving to partnerships, and some ratings were given
 * because the lead school had weaknesses" - not tied to D explicitly.)
 */
export interface RiskCategoryDefinitionSeed {
  code: 'A4' | 'B3' | 'C3' | 'D1' | 'D2' | 'D3' | 'E1' | 'E2' | 'F1';
  label: string;
  description: string;
}

export const RISK_CATEGORY_DEFINITIONS: readonly RiskCategoryDefinitionSeed[] = [
  {
    code: 'A4',
    label: 'Schools of Concern',
    description:
      'School of concern. The Intervention Service carries out a further gradation of these schools, which determines the approach by ' +
      'Intervention Officers; some receive intensive scoping audits. LA powers may be used: LA Warning Notices, Performance, Standards ' +
      'and Safety Notices, removal of financial delegation, Interim Executive Boards, additional governors, LA Improvement Boards and ' +
      'system leaders. The category is shared with the Local Member.',
  },
  {
    code: 'B3',
    label: 'Schools who Require Improvement (may be judged Satisfactory / RI or better)',
    description:
      'Requiring improvement. Visited by an Education Challenge Partner (ECP) during the autumn term to diagnose need and enable swift ' +
      'access to the Norfolk to Good and Great (N2GG) programme, which commissions a tailor-made improvement package.',
  },
  {
    code: 'C3',
    label: 'Schools judged as Satisfactory / RI who are making good progress',
    description:
      'Requiring improvement but making good progress. Visited by an Education Challenge Partner (ECP) during the autumn term to ' +
      'diagnose need and enable swift access to the Norfolk to Good and Great (N2GG) programme.',
  },
  {
    code: 'D1',
    label: 'Schools in transition',
    description:
      'Schools in transition (reported together as "D1-3"; the document does not distinguish D1, D2 and D3). ' +
      'Category D is grouped with category A as schools of concern: the Intervention Service grades these schools further, ' +
      'which determines the approach taken by Intervention Officers.',
  },
  {
    code: 'D2',
    label: 'Schools in transition',
    description:
      'Schools in transition (reported together as "D1-3"; the document does not distinguish D1, D2 and D3). ' +
      'Category D is grouped with category A as schools of concern: the Intervention Service grades these schools further, ' +
      'which determines the approach taken by Intervention Officers.',
  },
  {
    code: 'D3',
    label: 'Schools in transition',
    description:
      'Schools in transition (reported together as "D1-3"; the document does not distinguish D1, D2 and D3). ' +
      'Category D is grouped with category A as schools of concern: the Intervention Service grades these schools further, ' +
      'which determines the approach taken by Intervention Officers.',
  },
  {
    code: 'E1',
    label: 'Confidently good',
    description:
      "Good or great. Focus for the Education Challenge Partner (ECP) in the spring term, to consider the school's approach to " +
      'achieving excellence and sustaining success; engaged in or working towards system leadership.',
  },
  {
    code: 'E2',
    label: 'Good',
    description:
      "Good or great. Focus for the Education Challenge Partner (ECP) in the spring term, to consider the school's approach to " +
      'achieving excellence and sustaining success; engaged in or working towards system leadership.',
  },
  {
    code: 'F1',
    label: 'Outstanding',
    description:
      "Good or great. Focus for the Education Challenge Partner (ECP) in the spring term, to consider the school's approach to " +
      'achieving excellence and sustaining success; a source of system leadership and school-to-school support.',
  },
];

/**
 * Number of schools in each risk category, "Risk Analysis and School Categorisation
 * (September 2013)" in seed 003. Percentages are as printed. The primary total is 361
 * schools; the printed 9% for D1-3 does not match 9 of 361 (about 2.5%) and the printed
 * primary percentages add up to 108%, so that figure looks like a typing error in the
 * source. The secondary table (51 schools) has no D row.
 */
export interface RiskCategoryCountSeed {
  phase: 'primary' | 'secondary';
  code: 'A4' | 'B3' | 'C3' | 'D1-3' | 'E1' | 'E2' | 'F1';
  schools: number;
  percentAsPrinted: number;
  asAt: string /* yyyy-mm */;
}

export const RISK_CATEGORY_COUNTS: readonly RiskCategoryCountSeed[] = [
  { phase: 'primary', code: 'A4', schools: 62, percentAsPrinted: 17, asAt: '2013-09' },
  { phase: 'primary', code: 'B3', schools: 64, percentAsPrinted: 18, asAt: '2013-09' },
  { phase: 'primary', code: 'C3', schools: 38, percentAsPrinted: 11, asAt: '2013-09' },
  { phase: 'primary', code: 'D1-3', schools: 9, percentAsPrinted: 9, asAt: '2013-09' },
  { phase: 'primary', code: 'E1', schools: 49, percentAsPrinted: 14, asAt: '2013-09' },
  { phase: 'primary', code: 'E2', schools: 115, percentAsPrinted: 32, asAt: '2013-09' },
  { phase: 'primary', code: 'F1', schools: 24, percentAsPrinted: 7, asAt: '2013-09' },
  { phase: 'secondary', code: 'A4', schools: 12, percentAsPrinted: 24, asAt: '2013-09' },
  { phase: 'secondary', code: 'B3', schools: 14, percentAsPrinted: 27, asAt: '2013-09' },
  { phase: 'secondary', code: 'C3', schools: 3, percentAsPrinted: 6, asAt: '2013-09' },
  { phase: 'secondary', code: 'E1', schools: 2, percentAsPrinted: 4, asAt: '2013-09' },
  { phase: 'secondary', code: 'E2', schools: 15, percentAsPrinted: 29, asAt: '2013-09' },
  { phase: 'secondary', code: 'F1', schools: 5, percentAsPrinted: 10, asAt: '2013-09' },
];
