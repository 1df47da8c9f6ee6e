// Example intakes shared by the test suites (API, browser, replicas, Slack, store, fault, abuse).
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';

/** A CV screening tool used on job applicants in the EU: high-risk (EU AI Act Annex III, employment). */
export const cvScreeningIntake: IntakeInput = {
  title: 'CV screening assistant',
  description: 'Ranks job applicants by scoring their CVs so recruiters can shortlist candidates faster.',
  businessUnit: 'Human Resources',
  lifecycleStage: 'pilot',
  role: 'business_user',
  euRoles: [],
  modelSource: 'vendor_product',
  domains: ['employment'],
  affectedPersons: ['job_applicants'],
  personalData: 'personal',
  decisionImpact: 'significant',
  profilesPeople: true,
  interactsWithPeople: false,
  generatesContent: false,
  regions: ['EU', 'JP'],
  practices: [],
  exception: 'none',
};

/** An internal writing helper: low risk. */
export const meetingNotesIntake: IntakeInput = {
  ...cvScreeningIntake,
  title: 'Meeting notes summariser',
  description: 'Summarises internal meeting transcripts into action items for the team that held the meeting.',
  businessUnit: 'Operations',
  domains: ['internal_productivity'],
  affectedPersons: ['employees'],
  personalData: 'none',
  decisionImpact: 'none',
  profilesPeople: false,
  generatesContent: true,
  regions: ['JP'],
};
