/** The council's risk categories in words (the RiskCategory enum's description, seed 003), in order of concern. */
export const RISK_CATEGORIES: Record<string, string> = {
  A4: 'school of concern',
  B3: 'requires improvement',
  C3: 'requires improvement but making good progress',
  D1: 'in transition',
  D2: 'in transition',
  D3: 'in transition',
  E1: 'confidently good',
  E2: 'good',
  F1: 'outstanding',
};

export const riskCategoryWords = (category: string) => RISK_CATEGORIES[category] ?? 'see the council’s guidance';
