import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage } from './index';

/** X6: one button per other language, named in that language so that its reader finds it. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const current = currentLanguage();
  void i18n.language; // re-render on change
  return (
    <span className={className} role="group" aria-label={t('common.language')}>
      {LANGUAGES.filter((l) => l !== current).map((l) => (
        <button key={l} type="button" className="lang-switch" lang={l} onClick={() => void setLanguage(l)}>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </span>
  );
}
