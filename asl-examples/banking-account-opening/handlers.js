// @ts-check
'use strict';
/**
 * Local implementations of the banking example's Lambda functions. The rules are deterministic (no clock, no
 * randomness): the same application always gets the same decision, so recorded histories replay exactly.
 */

const SUPPORTED_COUNTRIES = new Set(['GB', 'IE', 'FR', 'DE', 'NL', 'ES']);
const DISPOSABLE_EMAIL_DOMAINS = new Set(['mailinator.com', 'tempmail.dev', 'throwaway.email']);
const NATIONAL_ID = /^[A-Z]{2}\d{6}[A-D]$/;

/** A failure the state machine's Retry/Catch see by name, as a Lambda function's errorType. */
class CoreBankingUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = 'CoreBankingUnavailable';
  }
}

/** Age in whole years on the date the application was submitted. */
function ageOn(dateOfBirth, submittedAt) {
  const born = new Date(`${dateOfBirth}T00:00:00Z`);
  const on = new Date(submittedAt);
  let age = on.getUTCFullYear() - born.getUTCFullYear();
  const birthdayPassed =
    on.getUTCMonth() > born.getUTCMonth() || (on.getUTCMonth() === born.getUTCMonth() && on.getUTCDate() >= born.getUTCDate());
  if (!birthdayPassed) age -= 1;
  return age;
}

/** Identity: a well-formed national id, a name, and an adult on the day of application. */
async function CheckIdentity({ applicant, submittedAt }) {
  const reasons = [];
  if (!NATIONAL_ID.test(applicant.nationalId ?? '')) reasons.push('national id is not in the expected format');
  if (!applicant.firstName || !applicant.lastName) reasons.push('first and last name are required');
  const age = ageOn(applicant.dateOfBirth, submittedAt);
  if (!(age >= 18)) reasons.push(`applicant must be 18 or older (is ${Number.isNaN(age) ? 'unknown' : age})`);
  return { approved: reasons.length === 0, reasons };
}

/** Address: complete, and in a country the bank operates in. */
async function CheckAddress({ address }) {
  const reasons = [];
  for (const field of ['street', 'city', 'postcode', 'country']) {
    if (!address?.[field]) reasons.push(`${field} is missing`);
  }
  if (address?.country && !SUPPORTED_COUNTRIES.has(address.country)) reasons.push(`country ${address.country} is not supported`);
  return { approved: reasons.length === 0, reasons };
}

/** Fraud model: a rule-based risk score from 0 (no signal) to 100. */
async function CheckFraudModel({ applicant, account }) {
  const signals = [];
  const domain = String(applicant.email ?? '').split('@')[1] ?? '';
  if (DISPOSABLE_EMAIL_DOMAINS.has(domain)) signals.push({ signal: 'disposable-email', weight: 45 });
  if ((account?.initialDeposit ?? 0) >= 10000) signals.push({ signal: 'large-initial-deposit', weight: 35 });
  if (applicant.address?.country && applicant.address.country !== account?.country && account?.country) {
    signals.push({ signal: 'account-country-mismatch', weight: 20 });
  }
  if (/\d/.test(`${applicant.firstName}${applicant.lastName}`)) signals.push({ signal: 'digits-in-name', weight: 25 });
  const riskScore = Math.min(100, signals.reduce((sum, s) => sum + s.weight, 0));
  return { riskScore, signals: signals.map((s) => s.signal) };
}

/**
 * Opens a case for a person to review. The reviewer answers later with SendTaskSuccess (or the dashboard).
 * For offline runs, an application may carry `simulatedReviewer`, whose recorded decision is sent back here.
 */
async function RequestManualReview({ application, taskToken }, context) {
  const reviewer = application.simulatedReviewer;
  if (reviewer && context.callbacks) {
    const decision = {
      approved: reviewer.approved === true,
      reviewer: reviewer.name,
      notes: reviewer.notes ?? '',
    };
    setImmediate(() => context.callbacks.success(decision));
  }
  return { caseId: `REVIEW-${application.applicationId}`, taskToken };
}

/**
 * Opens the account in the core banking system. `simulate.coreBankingOutages` makes the first N attempts fail
 * with a transient error, as a flaky dependency would; the state's Retry rides them out.
 */
async function OpenAccount({ applicationId, account }, context) {
  const outages = context.context?.Execution?.Input?.simulate?.coreBankingOutages ?? 0;
  const attempt = context.context?.State?.RetryCount ?? 0;
  if (attempt < outages) {
    throw new CoreBankingUnavailable(`Core banking system unavailable (attempt ${attempt + 1})`);
  }
  const digits = String(applicationId).replace(/\D/g, '').padStart(8, '0').slice(-8);
  return {
    accountNumber: `${account.currency === 'EUR' ? 'EU' : 'GB'}${digits}`,
    type: account.type,
    currency: account.currency,
    openingBalance: account.initialDeposit ?? 0,
  };
}

/** Sends an email from a template; the message id is derived from what was sent. */
async function SendNotification({ template, applicationId, email }) {
  return { messageId: `${template}-${applicationId}`, to: email, template };
}

module.exports = {
  CheckIdentity,
  CheckAddress,
  CheckFraudModel,
  RequestManualReview,
  OpenAccount,
  SendNotification,
};
