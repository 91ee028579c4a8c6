/** What a session says when the text model cannot answer: sorry, and what it heard (so the user knows it listened). */
export function apologyFor(language: string, heard: string): string {
  const said = heard.trim();
  if (language.startsWith('pl')) return said ? `Przepraszam, nie mogę teraz odpowiedzieć. Usłyszałem: ${said}` : 'Przepraszam, nie mogę teraz odpowiedzieć.';
  return said ? `Sorry, I cannot answer right now. I heard: ${said}` : 'Sorry, I cannot answer right now.';
}
