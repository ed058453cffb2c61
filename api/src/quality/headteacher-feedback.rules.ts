/** The pro forma's ratings: what a headteacher is asked about their partner (seed 004 section 19, "brief feedback ... recorded on a pro forma"). */
export const FEEDBACK_RATINGS = [
  { key: 'challengeAndSupport', field: 'challenge_and_support', label: 'Challenge and support' },
  { key: 'knowledgeOfSchool', field: 'knowledge_of_school', label: 'Knowledge of the school' },
  { key: 'qualityOfNotes', field: 'quality_of_notes', label: 'Quality of the notes of visit' },
  { key: 'communication', field: 'communication', label: 'Communication' },
] as const;

export type FeedbackRatingKey = (typeof FEEDBACK_RATINGS)[number]['key'];

/** 1 to 4, best first, as the pro forma words them. */
export const FEEDBACK_RATING_LABELS: Record<number, string> = { 1: 'Excellent', 2: 'Good', 3: 'Needs improvement', 4: 'Poor' };

export const FEEDBACK_COMMENTS_MAX_LENGTH = 10_000;
export const FEEDBACK_RESPONDENT_MAX_LENGTH = 200;

export interface HeadteacherFeedbackAnswers {
  ratings: Partial<Record<FeedbackRatingKey, number | null>>;
  comments: string | null;
  respondent: string;
}
