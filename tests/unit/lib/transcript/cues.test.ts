import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeEntities, parseTiming } from '../../../../lib/transcript/cues';
import { TranscriptParseError } from '../../../../lib/transcript/parse';
import { parseSrt } from '../../../../lib/transcript/srt';
import type { Transcript } from '../../../../lib/transcript/types';
import { parseVtt } from '../../../../lib/transcript/vtt';

function read(name: string): string {
  return readFileSync(new URL(`../../../fixtures/transcripts/${name}`, import.meta.url), 'utf8');
}

const turns = (t: Transcript) => t.turns.map((turn) => [turn.speaker, turn.start, turn.text]);

function errorOf(fn: () => unknown): TranscriptParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TranscriptParseError);
    return err as TranscriptParseError;
  }
  throw new Error('expected an error');
}

describe('WebVTT with voice tags', () => {
  const t = parseVtt(read('voices.vtt'), { source: 'voices.vtt', fallbackTitle: 'voices' });

  it('takes the title from the WEBVTT line', () => {
    expect(t.title).toBe('Harbour League briefing, 2 June 2026');
  });

  it('makes one turn of consecutive cues by one voice, starting at the first cue', () => {
    expect(turns(t)).toEqual([
      ['Moderator', 1, 'Good morning. The Director will take your questions.'],
      ['Director Ruiz', 5, 'Thank you. The harbour reopens on Monday. We expect a busy first week & long queues.'],
      ['Reporter', 14.1, 'Will the fares change?'],
      ['Director Ruiz', 16.5, 'No, they stay the same.'],
      ['Reporter', 3620, 'And the night ferry?'],
      ['Director Ruiz', 3622.5, 'It runs twice an hour.'],
    ]);
  });

  it('skips NOTE and STYLE blocks and cue settings, strips markup and decodes entities', () => {
    const all = t.turns.map((turn) => turn.text).join(' ');
    expect(all).not.toMatch(/Captions prepared|::cue|line:90%|<i>|&amp;/);
  });

  it('keeps a bracketed cue as a note of the turn', () => {
    expect(t.turns[1].note).toBe('Laughter');
  });

  it('gives roles by the voices’ names and pairs questions and answers', () => {
    expect(t.speakers.map((s) => `${s.label} ${s.role}`)).toEqual(['Moderator moderates', 'Director Ruiz answers', 'Reporter asks']);
    expect(t.exchanges.map((x) => [x.question, x.answers])).toEqual([
      ['t3', ['t4']],
      ['t5', ['t6']],
    ]);
  });
});

describe('WebVTT without voice tags', () => {
  it('reads `Name:` prefixes and continues a turn with unprefixed cues', () => {
    const t = parseVtt(read('prefixed.vtt'), { fallbackTitle: 'prefixed' });
    expect(t.title).toBe('prefixed');
    expect(turns(t)).toEqual([
      ['Host', 0, 'Welcome to the show.'],
      ['Guest', 3.5, 'Thanks for having me. It’s a pleasure.'],
      ['Host', 6.5, 'What brings you to the harbour?'],
      ['Guest', 9, 'The ferries, mostly. I ride them every day.'],
    ]);
    expect(t.speakers.map((s) => s.role)).toEqual(['asks', 'answers']);
  });

  it('starts a new paragraph after a pause of two seconds or more', () => {
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ana>One.\n\n00:02.100 --> 00:03.000\n<v Ana>Two.\n\n00:06.000 --> 00:07.000\n<v Ana>Three.\n';
    expect(parseVtt(vtt).turns[0].paragraphs).toEqual(['One. Two.', 'Three.']);
  });

  it('reads a roll-up caption’s repeated line once', () => {
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ana>we met the crews\n\n00:02.000 --> 00:04.000\nwe met the crews\nand the captains\n';
    expect(parseVtt(vtt).turns[0].text).toBe('we met the crews and the captains');
  });

  it('rejects a file without the WEBVTT signature, and one without cues', () => {
    expect(errorOf(() => parseVtt('00:00.000 --> 00:01.000\nHello', { source: 'a.vtt' })).message).toBe(
      'a.vtt: This is not a WebVTT file: its first line must be `WEBVTT`',
    );
    expect(errorOf(() => parseVtt('WEBVTT\n\nNOTE nothing here\n')).message).toMatch(/^No cues found/);
  });
});

describe('SRT', () => {
  it('reads `Speaker:` prefixes, italics and dialogue dashes', () => {
    const t = parseSrt(read('prefixed.srt'), { fallbackTitle: 'prefixed' });
    expect(turns(t)).toEqual([
      ['MODERATOR', 1, 'Good afternoon, everyone.'],
      ['MAYOR DIAZ', 3.5, 'Thank you. I have one announcement: the library opens in July. It took four years.'],
      ['Q', 9, 'Will it open on Sundays?'],
      ['MAYOR DIAZ', 11.5, 'Yes, from noon.'],
      ['Q', 13.5, 'And the parking?'],
      ['MAYOR DIAZ', 13.5, 'Two hundred spaces.'],
    ]);
    expect(t.exchanges).toHaveLength(2);
  });

  it('makes an unlabelled file one speaker, with paragraphs at pauses and new turns at `>>`', () => {
    const t = parseSrt(read('unlabelled.srt'), { fallbackTitle: 'unlabelled' });
    expect(t.speakers.map((s) => s.label)).toEqual(['Speaker']);
    expect(t.turns.map((turn) => turn.paragraphs)).toEqual([
      ['Good evening and welcome to the harbour report. Tonight we look at the winter ferries.', 'The first crossing leaves at six.'],
      ['And the last one?'],
      ['At half past one.'],
    ]);
    expect(t.title).toBe('unlabelled');
  });

  it('strips `{\\an8}` positioning and font tags', () => {
    const t = parseSrt('1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color="#fff">SG: Hello.</font>\n');
    expect(turns(t)).toEqual([['SG', 1, 'Hello.']]);
  });

  it('rejects a file without subtitles', () => {
    expect(errorOf(() => parseSrt('just some text\nwithout timings\n')).message).toMatch(/^No subtitles found/);
  });
});

describe('cue helpers', () => {
  it('reads timings with and without hours, with dots or commas', () => {
    expect(parseTiming('00:01.500 --> 00:02.000')).toEqual({ start: 1.5, end: 2 });
    expect(parseTiming('01:00:01,250 --> 01:00:02,000 X1:0')).toEqual({ start: 3601.25, end: 3602 });
    expect(parseTiming('not a timing')).toBeNull();
  });

  it('decodes named and numeric character references', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt; &#8217; &#x2014; &bogus;')).toBe('a & b <c> ’ — &bogus;');
  });
});
