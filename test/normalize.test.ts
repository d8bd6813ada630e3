import { describe, expect, it } from 'vitest';
import { flatKey, houseKey, maskOwnerName, streetKey, surnameKey, surnameOf } from '../src/billing/normalize.ts';

describe('address normalisation', () => {
  it('matches a street however it is typed', () => {
    const key = streetKey('ул. Ермакова');
    expect(key).toBe('ермакова');
    for (const typed of ['Ермакова', '  ЕРМАКОВА ', 'улица Ермакова', 'ермакова ул', 'Ермакова ул.']) expect(streetKey(typed)).toBe(key);
    expect(streetKey('пер. Садовый')).toBe('садовый');
    expect(streetKey('ул. Семёна  Будённого')).toBe('семена буденного');
  });

  it('reads numbers written as words or with an ending as digits, on both sides', () => {
    for (const typed of ['ул. 8 Марта', 'Восьмого Марта', 'восьмое марта', '8-го Марта', '8-е марта', 'улица Восьмого марта'])
      expect(streetKey(typed)).toBe('8 марта');
    for (const typed of ['ул. 50 лет Октября', 'Пятидесяти лет Октября', 'пятьдесят лет октября', '50-ти лет Октября'])
      expect(streetKey(typed)).toBe('50 лет октября');
    expect(streetKey('Первого Мая')).toBe('1 мая');
    expect(streetKey('Тридцать первого')).toBe('31');
    expect(streetKey('Двадцать второго Партсъезда')).toBe('22 партсъезда');
    expect(streetKey('Сорока лет Победы')).toBe('40 лет победы');
    expect(streetKey('Третья Линия')).toBe(streetKey('3-я линия'));
    expect(streetKey('Двенадцатого декабря')).toBe('12 декабря');
    expect(streetKey('Двадцатая')).toBe('20');
    expect(streetKey('мкр. 1а')).toBe('1а'); // a letter, not an ending
    // Words that only look like numerals stay words.
    for (const name of ['Первомайская', 'Сорокина', 'Пятигорская', 'Семёновская', 'Третьякова', 'Шестакова', 'Девятова', 'Одинцовская'])
      expect(streetKey(name)).toBe(streetKey(name).replace(/\d/g, 'x'));
  });

  it('matches a house number with letter or корпус', () => {
    expect(houseKey('7А')).toBe('7а');
    expect(houseKey('7 а')).toBe('7а');
    expect(houseKey('д. 7-А')).toBe('7а');
    expect(houseKey('12 корп. 2')).toBe('12к2');
    expect(houseKey('12к2')).toBe('12к2');
    expect(houseKey('12 к 2')).toBe('12к2');
  });

  it('matches a flat with its optional prefix; a private house has none', () => {
    expect(flatKey('30')).toBe('30');
    expect(flatKey('кв. 30')).toBe('30');
    expect(flatKey('5', 'ком.')).toBe('ком5');
    expect(flatKey(' 5 ', 'КОМ')).toBe('ком5');
    expect(flatKey(null)).toBe('');
    expect(flatKey('')).toBe('');
  });

  it('compares surnames case-insensitively with ё = е and spaces ignored', () => {
    expect(surnameKey('  Семёнов ')).toBe(surnameKey('СЕМЕНОВ'));
    expect(surnameKey('Воробьёва')).toBe('воробьева');
    expect(surnameKey('Кирее́ва')).toBe('киреева'); // a stress mark pasted from a dictionary
    expect(surnameKey('Андрейчук')).not.toBe(surnameKey('Андреичук')); // й is not и
    expect(surnameOf('КИРЕЕВА НАСИБХАН МАГОМЕДОВНА')).toBe('киреева');
  });
});

describe('owner masking', () => {
  it('shows the first name and the patronymic initial, never the surname', () => {
    expect(maskOwnerName('МИХАЙЛОВА АЛЛА МИХАЙЛОВНА')).toBe('Алла М.');
    expect(maskOwnerName('КИРЕЕВА НАСИБХАН МАГОМЕДОВНА')).toBe('Насибхан М.');
    expect(maskOwnerName('Иванов Пётр')).toBe('Пётр');
    expect(maskOwnerName('ИВАНОВ')).toBe('И.');
    expect(maskOwnerName('МИХАЙЛОВА АЛЛА МИХАЙЛОВНА')).not.toMatch(/михайлова/i);
  });
});
