/**
 * Lambda concurrency: the account's limit and unreserved concurrency (GetAccountSettings) against
 * what the environment's stacks reserve (reservedConcurrency in app-facts, summed from the
 * synthesized templates). Lambda refuses a reservation that would leave fewer than 100 executions
 * unreserved. A function that already exists (a redeploy) already holds its reservation
 * (GetFunctionConcurrency), so only the difference counts.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { type Reservation, totalReserved } from '../app-facts';
import { couldNotCheck, errorName } from '../aws';
import type { Check, PreflightClients } from '../types';

export const CHECK = 'lambda-concurrency';

/** Lambda keeps at least this much of the account's concurrency unreserved. */
export const MIN_UNRESERVED = 100;

export const checkLambdaConcurrency: Check = async (clients, { environment, app }) => {
  const { account, region } = environment;
  let limit: number | undefined;
  let unreserved: number | undefined;
  try {
    const { AccountLimit } = await clients.lambda.send(new GetAccountSettingsCommand({}));
    limit = AccountLimit?.ConcurrentExecutions;
    unreserved = AccountLimit?.UnreservedConcurrentExecutions;
  } catch (error) {
    return [couldNotCheck(CHECK, `the Lambda concurrency of ${account}/${region}`, error, 'lambda:GetAccountSettings')];
  }
  const summary = `Account ${account} in ${region}: concurrency limit ${limit ?? 'unknown'}, ${unreserved ?? 'unknown'} unreserved`;
  const reservations = app.reservations;
  if (reservations.length === 0) {
    return [{ check: CHECK, status: 'ok', message: `${summary}; the ${environment.name} stacks reserve no concurrency.` }];
  }

  let held: number;
  try {
    held = (await Promise.all(reservations.map((reservation) => currentReservation(clients, reservation)))).reduce((sum, value) => sum + value, 0);
  } catch (error) {
    return [couldNotCheck(CHECK, 'the reservations of existing functions', error, 'lambda:GetFunctionConcurrency')];
  }
  const reserved = totalReserved(reservations);
  const listed = reservations.map((reservation) => `${reservation.functionName} ${reservation.reserved}`).join(', ');
  const added = reserved - held;
  const after = (unreserved ?? 0) - added;
  const already = held > 0 ? ` (${held} of it already reserved by the existing functions)` : '';
  if (unreserved !== undefined && after >= MIN_UNRESERVED) {
    return [{ check: CHECK, status: 'ok', message: `${summary}; the ${environment.name} stacks reserve ${reserved} (${listed})${already}, leaving ${after} unreserved (Lambda keeps at least ${MIN_UNRESERVED}).` }];
  }
  const needed = (limit ?? 0) - (unreserved ?? 0) + added + MIN_UNRESERVED;
  const lobs = [...new Set(reservations.map((reservation) => reservation.lob).filter((lob): lob is string => lob !== undefined))];
  return [{
    check: CHECK, status: 'problem',
    message: `${summary}; the ${environment.name} stacks reserve ${reserved} (${listed})${already}, which would leave ${after} unreserved: `
      + `Lambda refuses reservations that leave fewer than ${MIN_UNRESERVED}, so the stacks holding these functions fail to deploy.`,
    action: `Ask for a Lambda "Concurrent executions" quota of at least ${needed} in ${region} (Service Quotas console; increases take time to approve), `
      + `or reserve less: ${lobs.length > 0 ? `transform.reservedConcurrency in ${lobs.map((lob) => `config/lobs/${lob}.yaml`).join(', ')}` : 'the functions listed'} `
      + '(leave it unset to reserve nothing).',
  }];
};

async function currentReservation(clients: PreflightClients, reservation: Reservation): Promise<number> {
  try {
    return (await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: reservation.functionName }))).ReservedConcurrentExecutions ?? 0;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return 0;
    throw error;
  }
}
