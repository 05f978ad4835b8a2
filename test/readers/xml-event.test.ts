import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntities, parseEventXml } from '../../src/readers/index.js';

const SYS = "<System><Provider Name='P' Guid='{aBc-1}'/><EventID Qualifiers='16384'>7036</EventID><TimeCreated SystemTime='2021-01-01T00:00:00.1234567Z'/><Channel>System</Channel><Computer>h</Computer></System>";
const ev = (body: string): string => `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>${SYS}${body}</Event>`;

function ok(xml: string) {
  const r = parseEventXml(xml);
  assert.ok(r.ok, r.ok ? '' : `${r.code}: ${r.message}`);
  return r;
}

describe('parseEventXml', () => {
  it('reads System fields as written (Qualifiers, GUID case, 7 fractional digits)', () => {
    const r = ok(ev(''));
    assert.deepEqual(r.system, {
      provider: 'P',
      providerGuid: '{aBc-1}',
      eventId: 7036,
      timeCreated: '2021-01-01T00:00:00.1234567Z',
      channel: 'System',
      computer: 'h',
    });
  });

  it('decodes entities, character references and CDATA in values and attributes', () => {
    const r = ok(ev("<EventData><Data Name='A&amp;B'>&lt;x&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42; &#x1F600;</Data><Data Name='C'><![CDATA[<raw> & stuff]]></Data><Data Name='D'>a &unknown; & b</Data></EventData>"));
    assert.deepEqual(r.data, { 'A&B': '<x> "q" \'s\' AB \u{1F600}', C: '<raw> & stuff', D: 'a &unknown; & b' });
  });

  it('names unnamed Data elements Data1, Data2… and keeps empty ones as empty strings', () => {
    const r = ok(ev("<EventData><Data>first</Data><Data Name='E1'/><Data>second</Data><Data Name='E2'></Data><Binary>0A0B</Binary></EventData>"));
    assert.deepEqual(Object.entries(r.data), [['Data1', 'first'], ['E1', ''], ['Data2', 'second'], ['E2', ''], ['Binary', '0A0B']]);
  });

  it('flattens UserData to leaf element names and ignores RenderingInfo and comments', () => {
    const r = ok(ev("<UserData><LogFileCleared xmlns='x'><SubjectUserSid>S-1-5-21</SubjectUserSid><Inner><SubjectUserName>bob</SubjectUserName></Inner><Empty/></LogFileCleared></UserData><!-- c --><RenderingInfo Culture='en-US'><Message>m</Message></RenderingInfo>"));
    assert.deepEqual(r.data, { SubjectUserSid: 'S-1-5-21', SubjectUserName: 'bob', Empty: '' });
  });

  it('accepts double quotes, whitespace and newlines between elements', () => {
    const r = ok('<Event>\n <System>\n  <Provider Name = "P"/>\n  <EventID>4</EventID>\n </System>\n <EventData>\n  <Data Name="x">v</Data>\n </EventData>\n</Event>');
    assert.equal(r.system.eventId, 4);
    assert.deepEqual(r.data, { x: 'v' });
    assert.equal(r.system.timeCreated, '');
  });

  it('names fields like constructor and __proto__ as ordinary fields', () => {
    const r = ok(ev("<EventData><Data Name='constructor'>c</Data><Data Name='__proto__'>p</Data></EventData>"));
    assert.equal(Object.getOwnPropertyDescriptor(r.data, '__proto__')?.value, 'p');
    assert.equal(r.data['constructor'], 'c');
  });

  const bad: [string, string, RegExp][] = [
    ['mismatched tag', ev("<EventData><Data Name='a'>x</Dat></EventData>"), /<\/Dat> does not close <Data>/],
    ['unterminated attribute', ev("<EventData><Data Name='a>x</Data></EventData>"), /unterminated attribute|'<' in attribute/],
    ['cut off', ev("<EventData><Data Name='a'>x").slice(0, -8), /unterminated/],
    ['unquoted attribute', ev('<EventData><Data Name=a>x</Data></EventData>'), /unquoted attribute/],
    ['not an event', '<Events></Events>', /expected <Event>/],
  ];
  for (const [what, xml, msg] of bad) {
    it(`reports read.bad-xml for ${what}`, () => {
      const r = parseEventXml(xml);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.code, 'read.bad-xml');
        assert.match(r.message, msg);
      }
    });
  }

  it('reports read.bad-event for a well-formed event without System or EventID', () => {
    for (const xml of ['<Event><EventData/></Event>', "<Event><System><Provider Name='p'/></System></Event>", '<Event/>']) {
      const r = parseEventXml(xml);
      assert.equal(r.ok ? 'ok' : r.code, 'read.bad-event');
    }
  });

  it('returns the end of the event so callers can read back-to-back events', () => {
    const a = ev('');
    const r = ok(a + a);
    assert.equal(r.end, a.length);
  });
});

describe('decodeEntities', () => {
  it('leaves text without & untouched and keeps out-of-range references literal', () => {
    assert.equal(decodeEntities('plain'), 'plain');
    assert.equal(decodeEntities('&#x110000; &amp;'), '&#x110000; &');
  });
});
