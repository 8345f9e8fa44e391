import {
  detectTraceFormat,
  parseItpTrace,
  parsePhillyTimestamp,
  parsePhillyTrace,
  parseTrace,
} from './parsers';
import { prepareTrace, TraceFormatError, type TraceJob } from './trace-job';

const PHILLY = [
  'timestamp,duration,num_gpus,gpu_time,cluster',
  '2017-10-09 07:01:55,66.0,1,66.0,11cb48',
  '2017-10-09 06:13:03,2951.0,8,23608.0,6214e9',
  '2017-09-29 07:58:32,860662.0,1,860662.0,6c71a0',
  '',
].join('\n');

const ITP = [
  'job_id,submission_time,duration,num_gpu',
  'c9c620ea-4336,5810,288476,16',
  'be631d51-a07b,5813,292893,1',
].join('\r\n'); // no newline at the end, Windows line ends

describe('Philly trace', () => {
  it('reads unsorted rows and a trailing blank line; the cluster is the tenant', () => {
    const jobs = parsePhillyTrace(PHILLY);
    expect(jobs).toHaveLength(3);
    expect(jobs[1]).toEqual({
      id: 'philly-3',
      submitAt: Date.UTC(2017, 9, 9, 6, 13, 3) / 1000,
      duration: 2951,
      gpus: 8,
      tenant: '6214e9',
    });
    const prepared = prepareTrace(jobs, { load: 1, limit: null });
    expect(prepared.map((j) => j.id)).toEqual(['philly-4', 'philly-3', 'philly-2']);
    expect(prepared[0]!.submitAt).toBe(0);
    expect(prepared[2]!.submitAt).toBe(
      Date.UTC(2017, 9, 9, 7, 1, 55) / 1000 - Date.UTC(2017, 8, 29, 7, 58, 32) / 1000,
    );
  });

  it.each([
    ['2017-10-09 07:01:55', Date.UTC(2017, 9, 9, 7, 1, 55) / 1000],
    ['2017-02-30 00:00:00', Number.NaN],
    ['yesterday', Number.NaN],
  ])('reads the timestamp %s', (text, seconds) => {
    expect(parsePhillyTimestamp(text)).toBe(seconds);
  });

  it.each([
    [
      '2017-10-09 07:01:55,abc,1,66.0,11cb48',
      /line 2: duration must be a number >= 0 \(got 'abc'\)/,
    ],
    ['2017-10-09 07:01:55,66.0,0,66.0,11cb48', /line 2: num_gpus must be a number >= 1/],
    ['2017-13-09 07:01:55,66.0,1,66.0,11cb48', /line 2: timestamp must be YYYY-MM-DD HH:MM:SS/],
    ['2017-10-09 07:01:55,66.0,1,66.0,', /line 2: cluster is empty/],
  ])('names the line and column of a bad row: %s', (row, message) => {
    expect(() =>
      parsePhillyTrace(`timestamp,duration,num_gpus,gpu_time,cluster\n${row}\n`),
    ).toThrow(message);
  });

  it('names missing columns', () => {
    expect(() => parsePhillyTrace('timestamp,duration\n')).toThrow(
      new TraceFormatError(
        'philly: missing columns num_gpus, cluster (header has timestamp, duration)',
      ),
    );
  });
});

describe('ITP trace', () => {
  it('reads CRLF lines and a last line without a newline; no tenant', () => {
    expect(parseItpTrace(ITP)).toEqual([
      { id: 'c9c620ea-4336', submitAt: 5810, duration: 288476, gpus: 16, tenant: null },
      { id: 'be631d51-a07b', submitAt: 5813, duration: 292893, gpus: 1, tenant: null },
    ]);
  });

  it('refuses a repeated job id and an empty file', () => {
    expect(() =>
      parseItpTrace('job_id,submission_time,duration,num_gpu\na,1,2,1\na,3,4,1\n'),
    ).toThrow(/line 3: job_id a repeats/);
    expect(() => parseItpTrace('')).toThrow(/empty file/);
  });
});

describe('trace format detection', () => {
  it('tells the formats apart by their header', () => {
    expect(detectTraceFormat(PHILLY, 'p')).toBe('philly');
    expect(detectTraceFormat(ITP, 'i')).toBe('itp');
    expect(parseTrace(ITP, 'i')).toHaveLength(2);
    expect(() => detectTraceFormat('a,b,c\n1,2,3', 'x.csv')).toThrow(/x.csv: unknown trace format/);
  });
});

describe('prepareTrace', () => {
  const jobs: TraceJob[] = [
    { id: 'c', submitAt: 1030, duration: 5.4, gpus: 1, tenant: null },
    { id: 'a', submitAt: 1000, duration: 10, gpus: 1, tenant: null },
    { id: 'b', submitAt: 1000, duration: 20, gpus: 2, tenant: null },
    { id: 'd', submitAt: 1061, duration: 1, gpus: 1, tenant: null },
  ];

  it('orders stably, keeps the first `limit`, divides inter-arrival times by the load', () => {
    const prepared = prepareTrace(jobs, { load: 2, limit: 3 });
    expect(prepared.map((j) => [j.id, j.submitAt, j.duration])).toEqual([
      ['a', 0, 10],
      ['b', 0, 20],
      ['c', 15, 5],
    ]);
    expect(prepareTrace(jobs, { load: 4, limit: null }).map((j) => j.submitAt)).toEqual([
      0, 0, 8, 15,
    ]);
  });

  it('rejects a load or limit out of range', () => {
    expect(() => prepareTrace(jobs, { load: 0, limit: null })).toThrow(
      /load: must be a number > 0/,
    );
    expect(() => prepareTrace(jobs, { load: 1, limit: 0 })).toThrow(
      /limit: must be a whole number >= 1/,
    );
  });
});
