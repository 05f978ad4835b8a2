/** Help texts. Kept next to each other so they stay consistent. */

export const EXIT_CODES = `Exit codes:
  0  success (hunt: no alerts)
  1  hunt: alerts found
  2  usage error: bad option, no input, SPL syntax error, no runnable detection
  3  partial failure: some input could not be read (missing, unreadable, empty or
     binary files; corrupt records) or some detections failed to load or compile;
     everything else ran and was reported. Takes precedence over 1.`;

export const MAIN_HELP = `spelunk: run Splunk ESCU detections on raw Windows event logs, with Splunk's results and no Splunk.

Usage:
  spelunk <command> [options]

Commands:
  hunt     run detections (default: the built-in Exchange UM content) over event logs
  search   run an ad-hoc SPL search over event logs and print the result rows
  dump     print events as Windows XML or EVTX-style JSON (any input format, EVTX included)
  test     replay detections' ESCU tests over local attack data
  exchange review an Exchange server's logs with Microsoft's Test-ProxyLogon checks
  lint     check detections: SPL syntax, unsupported commands, ESCU content rules, logic traps

Input:
  Files, folders (read recursively) and - for stdin. The format is recognised from
  the content: EVTX, Splunk XmlWinEventLog lines, Event Viewer / wevtutil XML
  exports, JSON lines (NXLog, Winlogbeat 6/7+/ECS, EVTX-as-JSON).

Examples:
  spelunk hunt examples/
  spelunk hunt logs/ --format jsonl --output alerts.jsonl
  spelunk hunt logs/ --report report.html
  spelunk search '| tstats count from datamodel=Endpoint.Processes by Processes.dest' logs/

Run "spelunk <command> --help" for a command's options.

${EXIT_CODES}
`;

export const HUNT_HELP = `Usage: spelunk hunt <path>... [options]

Runs detections over the events in <path>... (files, folders, - for stdin) and prints
one alert per result row, with risk score, risk object, message and MITRE ATT&CK,
then each alert's context from the same inputs (not for stdin).

Options:
  --detections PATH   detection YAML file or folder (ESCU format; repeatable).
                      Default: the built-in content (the fixed flagship detection
                      "Unified Messaging Service Spawning a Process" and its
                      companion "Excessive WER Children of Unified Messaging Service")
  --content DIR       an ESCU content folder; its macros/*.yml override built-in macros
  --format FMT        table (default), json, jsonl or csv
  --output FILE       write alerts to FILE instead of stdout
  --tz ZONE           time zone for rendered times: UTC (default) or an offset like +02:00
  --no-prefilter      parse every event (do not skip events lacking the searches' literals)
  --exchange-logs DIR review a folder collected from an Exchange server (as spelunk
                      exchange does) and add its findings to every alert's context
  --report FILE       also write a self-contained HTML report (alerts by host and risk,
                      process trees, host timelines, file writes, response guidance)
  --no-context        do not read the inputs a second time for alert context (process
                      tree, siblings, nearby processes, file writes, UM errors)
  --window MINUTES    the window of "nearby processes" around an alert (default 15)
  --rebuild-parents   fill in the parent of Security 4688 v0/v1 events (no ParentProcessName)
                      from earlier events of the host; not Splunk-exact, alerts it enables
                      say so; turns the pre-filter off
  --recover           also read EVTX records left in slack space (deleted or overwritten,
                      after a chunk's last record) and in chunks with a damaged header;
                      they count as events like the others (origin marked recovered)
  --risk-threshold N  raise a risk notable when an object's risk exceeds N (default 100)
  --risk-window H     ... within H hours (default 24)
  --tactic-threshold N  raise a risk notable at N distinct ATT&CK tactics (default 3)
  --tactic-window D   ... within D days (default 7)
  --jobs N            read up to N files at once in worker threads (default 1; auto =
                      one per CPU). Same output for any N. With fewer files than N, a
                      large EVTX file is read in parts (16 MiB of chunks) by several threads
  --quiet             no summary on stderr
  --debug             print stack traces of internal errors
  -h, --help          this help

Examples:
  spelunk hunt examples/
  spelunk hunt C:/collected/ --detections ../security_content/detections/endpoint/ --content ../security_content
  spelunk hunt sysmon.xml --format jsonl | jq .message
  cat events.jsonl | spelunk hunt - --format csv --output alerts.csv

${EXIT_CODES}
`;

export const SEARCH_HELP = `Usage: spelunk search '<SPL>' <path>... [options]

Runs one SPL search over the events in <path>... and prints the result rows.
Supported: tstats (from datamodel=Endpoint.Processes), search, where, eval, stats,
rename, convert, table, fields, and macros (built-in, or from --content).

Options:
  --content DIR       an ESCU content folder; its macros/*.yml are available to the search
  --format FMT        table (default), json, jsonl or csv
                      (jsonl: one JSON object per row, multivalue fields as arrays)
  --output FILE       write rows to FILE instead of stdout
  --tz ZONE           time zone for rendered times: UTC (default) or an offset like +02:00
  --no-prefilter      parse every event
  --recover           also read EVTX records left in slack space (deleted or overwritten,
                      after a chunk's last record) and in chunks with a damaged header
  --jobs N            read up to N files at once in worker threads (default 1; auto =
                      one per CPU). Same output for any N. With fewer files than N, a
                      large EVTX file is read in parts (16 MiB of chunks) by several threads
  --quiet             no summary on stderr
  --debug             print stack traces of internal errors
  -h, --help          this help

Examples:
  spelunk search '| tstats count from datamodel=Endpoint.Processes by Processes.parent_process_name' logs/
  spelunk search 'EventCode=1 ParentImage="*\\\\w3wp.exe" | table _time host CommandLine' iis-server/
  spelunk search '| tstats count where index=* by sourcetype' - < events.xml --format jsonl

${EXIT_CODES}
`;

export const LINT_HELP = `Usage: spelunk lint <path>... [options]

Checks detection YAML files (folders are read recursively) without running them:
SPL syntax and commands spelunk does not run yet, unknown macros, functions and
lookups, ESCU content rules (filter macro, risk object fields, message tokens,
type), and logic traps (always-true ORs such as f!="a" OR f!="b", contradictions,
OR/AND precedence, != on missing fields, case-sensitive where). One record per
detection; see docs/design/lint.md for every code.

Options:
  --content DIR       an ESCU content folder: macros/*.yml override built-in macros,
                      lookups/*.yml are the known lookups (not checked without it)
  --format FMT        table (default), jsonl or sarif (SARIF 2.1.0)
  --output FILE       write the report to FILE instead of stdout
  --debug             print stack traces of internal errors
  -h, --help          this help

Examples:
  spelunk lint ../security_content/detections/endpoint/ --content ../security_content
  spelunk lint my_detection.yml --format sarif --output lint.sarif

Exit codes:
  0  no error-severity finding (warnings and infos may be printed)
  1  at least one error-severity finding
  2  usage error: bad option, unreadable path, no detection found
`;

export const EXCHANGE_HELP = `Usage: spelunk exchange <folder> [options]

Reviews a folder collected from an Exchange server with the checks of Microsoft's
Test-ProxyLogon.ps1 and reports each with its evidence (file, line, fields) and the
age of each log (first and last entry, and how far its newest entry is behind the
newest entry of all logs).

  CVE-2021-26855  Logging/HttpProxy/**/*.log rows with AnchorMailbox like ServerInfo~*/*
                  (not ServerInfo~*/autodiscover*, not ServerInfo~localhost*/*)
  CVE-2021-26858  Logging/OABGeneratorLog/** lines with "Download failed and temporary file"
  CVE-2021-27065  Logging/ECP/Server/*.log lines matching Set-.+VirtualDirectory
  CVE-2021-26857  Application log (.evtx, .xml, .jsonl in <folder> or <folder>/Application):
                  MSExchange Unified Messaging errors with System.InvalidCastException
  suspicious-files  from <folder>/files.txt (one full path per line) or files.csv
                  (Get-ChildItem -Recurse | Select FullName,Length,LastWriteTime | Export-Csv):
                  lsass*.dmp under C:\\root or C:\\Windows\\Temp; .7z/.zip/.rar under ProgramData

The Logging tree may sit at <folder>/Logging, <folder>/V15/Logging or be <folder>
itself; folder names match in any case.

Options:
  --format FMT        table (default), json or jsonl
  --output FILE       write the report to FILE instead of stdout
  --quiet             no summary on stderr
  -h, --help          this help

Examples:
  spelunk exchange collected/EXCH01/
  spelunk exchange collected/EXCH01/ --format json --output exch01-review.json

Exit codes:
  0  nothing found
  1  an indicator was found
  2  usage error: bad option, no such folder
  3  some log could not be read (everything else was reviewed); takes precedence over 1
`;

export const DUMP_HELP = `Usage: spelunk dump <path>... [options]

Prints the events of any input spelunk reads (EVTX, XML lines, Event Viewer XML,
JSON lines): as XML the way Windows renders an event, or as JSON in the shape
other EVTX tools write ({"Event": {"#attributes": ..., "System": ..., "EventData": ...}}).

Options:
  --format FMT        xml (default: one <Event> per line; line breaks inside values
                      as &#13; and &#10;), json (an array), or jsonl (one event per
                      line, with "file" and "record_id")
  --output FILE       write to FILE instead of stdout
  --recover           also print EVTX records left in slack space (deleted or
                      overwritten); each is reported as evtx.recovered-record
  --jobs N            read up to N files at once in worker threads (default 1; auto =
                      one per CPU). Same output for any N. With fewer files than N, a
                      large EVTX file is read in parts (16 MiB of chunks) by several threads
  --quiet             no summary on stderr
  -h, --help          this help

Examples:
  spelunk dump Security.evtx | head
  spelunk dump collected/ --format jsonl --output events.jsonl
  spelunk dump sysmon.evtx --format json

${EXIT_CODES}
`;

export const TEST_HELP = `Usage: spelunk test <detection.yml|folder>... [options]

Replays each detection's ESCU tests: the test's attack_data URLs are looked up
under --attack-data (the path after "datasets/" in the URL, else the file name),
read with the test's source and sourcetype, and the detection's search is run over
them. A test passes when the search returns at least one row and no risk object is
null, as Splunk's content tests do. Test definitions may sit in the detection
(tests:) or in a *.test.yml beside it.

Options:
  --attack-data DIR   where the attack data files are (default ./attack_data)
  --content DIR       an ESCU content folder; its macros/*.yml override built-in macros
  --format FMT        table (default) or jsonl (one record per test)
  --output FILE       write the report to FILE instead of stdout
  -h, --help          this help

Examples:
  spelunk test ../shared/escu/flagship/ --attack-data test/fixtures/attack_data
  spelunk test detections/endpoint/ --attack-data ../attack_data/datasets --format jsonl

Exit codes:
  0  every test passed
  1  a test failed, could not run, or its attack data is missing
  2  usage error: bad option, no detection with tests
`;
