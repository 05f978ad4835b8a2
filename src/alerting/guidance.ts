/**
 * Response guidance attached to alerts, keyed by the CVEs a detection names
 * (flagship.md §4.5): contain, patch, monitor.
 */

export interface ResponseGuidance {
  readonly contain: readonly string[];
  readonly patch: readonly string[];
  readonly monitor: readonly string[];
  readonly references: readonly string[];
}

const EXCHANGE_2021: ResponseGuidance = {
  contain: [
    'Filter egress from the Exchange server: it should reach only the hosts it needs (mail relays, domain controllers, update servers).',
    'Restrict public access to Exchange (OWA, ECP, EWS, Unified Messaging) until it is patched: VPN only, or a reverse proxy that blocks the exploited paths.',
    'Isolate the host if the child processes or file writes show hands-on activity (web shells, credential dumps).',
  ],
  patch: [
    'Install the March 2021 security updates (or a later cumulative update). Fixed builds: Exchange 2013 CU23 15.00.1497.012; 2016 CU18 15.01.2106.013; 2016 CU19 15.01.2176.009; 2019 CU7 15.02.0721.013; 2019 CU8 15.02.0792.010; and every later CU.',
    "Run Microsoft's Test-ProxyLogon checks (spelunk exchange <folder>) and remove web shells under aspnet_client, owa\\auth and ecp\\auth before patching ends the investigation's evidence.",
  ],
  monitor: [
    'Keep this detection and its WER companion running: UMWorkerProcess.exe and UMService.exe should start no processes but each other and Windows Error Reporting.',
    'Watch the Application log for MSExchange Unified Messaging errors with System.InvalidCastException, and HttpProxy logs for ServerInfo~ anchor mailboxes.',
    'Review accounts, scheduled tasks and services created since the first alert.',
  ],
  references: [
    'https://msrc-blog.microsoft.com/2021/03/02/multiple-security-updates-released-for-exchange-server/',
    'https://github.com/microsoft/CSS-Exchange/tree/main/Security',
  ],
};

const BY_CVE: Readonly<Record<string, ResponseGuidance>> = {
  'CVE-2021-26855': EXCHANGE_2021,
  'CVE-2021-26857': EXCHANGE_2021,
  'CVE-2021-26858': EXCHANGE_2021,
  'CVE-2021-27065': EXCHANGE_2021,
};

/** The guidance for the first of `cves` that has one. */
export function guidanceFor(cves: readonly string[]): ResponseGuidance | undefined {
  for (const c of cves) {
    const g = BY_CVE[c.toUpperCase()];
    if (g) return g;
  }
  return undefined;
}
