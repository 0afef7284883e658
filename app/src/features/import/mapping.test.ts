import { describe, expect, it } from 'vitest';
import { headerSignature, normaliseDateCell, normaliseSexCell, rowToInput, suggestMapping } from './mapping';

describe('import mapping', () => {
  it('[R4] maps KoboToolbox XML names with group prefixes and skips Kobo meta columns', () => {
    const headers = ['start', 'group_person/first_name', 'group_person/last_name', 'group_person/father_name', 'group_person/date_of_birth', 'group_contact/phone', '_uuid', '_index'];
    expect(suggestMapping(headers)).toEqual({ firstName: 1, lastName: 2, fatherName: 3, birthDate: 4, phone: 5 });
  });

  it('[R4] maps Kobo label headers in English, French and Arabic', () => {
    expect(suggestMapping(['Person/First name', "Person/Father's first name", 'Person/Family name', 'Date of birth', 'Gender'])).toMatchObject({
      firstName: 0,
      fatherName: 1,
      lastName: 2,
      birthDate: 3,
      sex: 4,
    });
    expect(suggestMapping(['Prénom', 'Nom', 'Nom du père', 'Date de naissance', 'Téléphone'])).toEqual({ firstName: 0, lastName: 1, fatherName: 2, birthDate: 3, phone: 4 });
    expect(suggestMapping(['الاسم الأول', 'اسم العائلة', 'اسم الأب', 'اسم الأم', 'تاريخ الولادة', 'الهاتف', 'الجنس'])).toEqual({
      firstName: 0,
      lastName: 1,
      fatherName: 2,
      motherName: 3,
      birthDate: 4,
      phone: 5,
      sex: 6,
    });
  });

  it('[R4] gives sheets with the same headers the same signature, whatever the group prefix', () => {
    expect(headerSignature(['group_a/First_Name', 'DOB'])).toBe(headerSignature(['first name', 'dob']));
  });

  it('[R4] reads dates as Kobo and Lebanese sheets write them, and sex in three languages', () => {
    expect(normaliseDateCell('1976-05-07T00:00:00.000+03:00')).toBe('1976-05-07');
    expect(normaliseDateCell('7/5/1976')).toBe('1976-05-07');
    expect(normaliseDateCell('07.05.1976')).toBe('1976-05-07');
    expect(normaliseDateCell('١٩٧٦')).toBe('1976');
    expect(['ذكر', 'M', 'Male', 'homme'].map(normaliseSexCell)).toEqual(['male', 'male', 'male', 'male']);
    expect(['أنثى', 'F', 'femme'].map(normaliseSexCell)).toEqual(['female', 'female', 'female']);
  });

  it('[R4] turns a row into validator input, leaving unmapped fields empty', () => {
    const input = rowToInput([' Houman ', 'Haddad', '7/5/1976', '4.0'], { firstName: 0, lastName: 1, birthDate: 2, householdSize: 3 });
    expect(input).toMatchObject({ firstName: 'Houman', lastName: 'Haddad', birthDate: '1976-05-07', householdSize: '4', phone: '' });
  });
});
