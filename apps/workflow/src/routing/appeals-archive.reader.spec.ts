import type { TreeNode } from '../organizations/organization.tree';
import { decodeArchive, readAppealsArchive } from './appeals-archive.reader';

const node = (id: string, code: string, name: string): TreeNode => ({
  id,
  code,
  name,
  kind: 'SUBDIVISION',
  parentId: null,
  timeZone: 'Asia/Barnaul',
});
const TREE = [
  node('o-roads', 'kalmansky.roads', 'Отдел транспорта и дорожного хозяйства'),
  node('o-housing', 'kalmansky.housing', 'Отдел ЖКХ, строительства и архитектуры'),
];
const csv = (text: string) => Buffer.from(text, 'utf8');

describe('reading an archive of appeals (text, topic, responsible body)', () => {
  it('finds the columns by their Russian headers, with ; between them, and matches bodies by name or code', () => {
    const rows = readAppealsArchive(
      csv(
        '\uFEFFid;Текст Сообщения;Тематика;Ответственное лицо\n' +
          '1;"<p>Яма на дороге; большая</p>";Ямы;«Отдел транспорта и дорожного хозяйства»\n' +
          '2;Нет воды;Водоснабжение;KALMANSKY.HOUSING\n' +
          '3;Мусор не вывозят;Отходы;Комитет по мусору\n' +
          '4;  ;Отходы;kalmansky.housing\n',
      ),
      TREE,
    );
    expect(rows.map((r) => [r.row, r.status, r.organizationId, r.topic])).toEqual([
      [2, 'MATCHED', 'o-roads', 'Ямы'],
      [3, 'MATCHED', 'o-housing', 'Водоснабжение'],
      [4, 'UNMATCHED', null, 'Отходы'],
      [5, 'REJECTED', null, 'Отходы'],
    ]);
    expect(rows[0].text).toBe('<p>Яма на дороге; большая</p>');
    expect(rows[2].problem).toBe(
      'the body "Комитет по мусору" is not the code or name of an organisation here: kept for its topic only',
    );
  });

  it('without a header, reads text, topic and body as the first three columns', () => {
    const rows = readAppealsArchive(csv('Не горят фонари,Освещение,kalmansky.roads\nЯма,,\n'), TREE);
    expect(rows.map((r) => [r.row, r.status, r.organizationId])).toEqual([
      [1, 'MATCHED', 'o-roads'],
      [2, 'REJECTED', null],
    ]);
    expect(rows[1].problem).toBe('no responsible body is given, nor a topic');
  });

  it('refuses a header with a text column but neither topic nor body', () => {
    expect(() => readAppealsArchive(csv('text,author\nЯма,Иван\n'), TREE)).toThrow(/neither a topic/);
  });

  it('decodes base64 and refuses what is not', () => {
    expect(decodeArchive(Buffer.from('a,b').toString('base64')).toString()).toBe('a,b');
    expect(() => decodeArchive('@@@')).toThrow(/not base64/);
    expect(() => decodeArchive('')).toThrow(/empty/);
  });
});
