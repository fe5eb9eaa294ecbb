import { describe, expect, it } from 'vitest';
import { PROGRAM_NAME } from '../../../aiml/index.js';
import { aiml, cat, chat } from './support.js';

describe('template elements', () => {
  it('star, thatstar and topicstar take an index', () => {
    const { say } = chat(cat('* LIKES * AND *', '<star index="3"/>,<star index="2"/>,<star/>'));
    expect(say('Ann likes tea and cake')).toBe('cake,tea,Ann');
  });

  it('sr is srai of the first star', () => {
    const { say } = chat(cat('PLEASE *', '<sr/>') + cat('HELP', 'helping'));
    expect(say('please help')).toBe('helping');
  });

  it('condition: block form, name/value list, li with name and value, var and a default item', () => {
    const { say } = chat(
      cat('MOOD *', '<think><set name="mood"><star/></set></think>set') +
        cat('BLOCK', '<condition name="mood" value="happy">yay</condition>') +
        cat('LIST', '<condition name="mood"><li value="happy">smile</li><li value="sad">frown</li><li>shrug</li></condition>') +
        cat('MIXED', '<think><set var="n">2</set></think><condition><li var="n" value="1">one</li><li name="mood" value="sad">sad mood</li><li>other</li></condition>') +
        cat('ANY', '<condition name="mood"><li value="*">has mood</li><li>no mood</li></condition>') +
        cat('CLEAR', '<think><set name="mood"></set></think>cleared'),
    );
    expect(say('any')).toBe('no mood');
    say('clear');
    expect(say('any')).toBe('no mood');
    expect(say('block')).toBe('');
    say('mood happy');
    expect(say('block')).toBe('yay');
    expect(say('list')).toBe('smile');
    expect(say('any')).toBe('has mood');
    say('mood sad');
    expect(say('list')).toBe('frown');
    expect(say('mixed')).toBe('sad mood');
    say('mood meh');
    expect(say('list')).toBe('shrug');
  });

  it('condition loops with <loop/> until an item without it is chosen', () => {
    const { say } = chat(
      cat(
        'COUNT TO *',
        '<think><set var="i">1</set></think><condition var="i"><li><value><star/></value><get var="i"/></li><li><get var="i"/> <think><set var="i"><map name="successor"><get var="i"/></map></set></think><loop/></li></condition>',
      ),
    );
    expect(say('count to 5')).toBe('1 2 3 4 5');
  });

  it('set and get predicates across turns; var is local to one category', () => {
    const { say } = chat(
      cat('REMEMBER *', '<set name="thing"><star/></set> noted<think><set var="local">x</set></think>') +
        cat('RECALL', '<get name="thing"/> / <get var="local"/>') +
        cat('NESTED', '<think><set var="v">outer</set></think><srai>INNER</srai> <get var="v"/>') +
        cat('INNER', '[<get var="v"/>]'),
    );
    expect(say('recall')).toBe('unknown / unknown');
    expect(say('remember the milk')).toBe('the milk noted');
    expect(say('recall')).toBe('the milk / unknown');
    expect(say('nested')).toBe('[unknown] outer');
  });

  it('uses default-get, pdefaults, default-property and default-map', () => {
    const { say } = chat({
      'aiml/t.aiml': aiml(cat('GET', '<get name="a"/> <get name="env"/> <bot name="nope"/> <map name="nomap">x</map>')),
      'system/b.properties': '[["default-get","nobody"],["default-property","n/a"],["default-map","?"]]',
      'system/b.pdefaults': '[["env","browser"]]',
    });
    expect(say('get')).toBe('nobody browser n/a ?');
  });

  it('bot properties and maps (file maps case-insensitive, built-ins successor, predecessor, plural, singular)', () => {
    const { say } = chat({
      'aiml/t.aiml': aiml(
        cat('CAPITAL OF *', '<map name="Capital"><star/></map>') +
          cat('MATHS', '<map name="successor">41</map> <map name="predecessor">41</map> <map name="plural">box</map> <map name="singular">ponies</map>') +
          cat('NAME', '<bot name="Name"/>'),
      ),
      'maps/capital.map': '[["France","Paris"]]',
      'system/b.properties': '[["name","Rosie"]]',
    });
    expect(say('capital of FRANCE')).toBe('Paris');
    expect(say('capital of mars')).toBe('unknown');
    expect(say('maths')).toBe('42 40 boxes pony');
    expect(say('name')).toBe('Rosie');
  });

  it('input, request, response and that read the conversation history', () => {
    const { say } = chat(
      cat('FIRST', 'One. Two.') + cat('SECOND', 'Three.') + cat('HISTORY', '[<input/>] [<input index="2"/>] [<request/>] [<request index="2"/>] [<response/>] [<that/>] [<that index="2,2"/>]'),
    );
    say('first');
    say('second');
    expect(say('history')).toBe('[history] [second] [second] [first] [Three.] [Three] [One]');
  });

  it('person, person2, gender, normalize and denormalize apply their substitution lists', () => {
    const { say } = chat({
      'aiml/t.aiml': aiml(
        cat('P *', '<person/>|<person2><star/></person2>|<gender>he said</gender>') + cat('N', '<normalize>isnt it</normalize>|<denormalize>is not it</denormalize>'),
      ),
      'substitutions/person.substitution': '[[" I ", " you "], [" my ", " your "]]',
      'substitutions/person2.substitution': '[[" I ", " he "]]',
      'substitutions/gender.substitution': '[[" he ", " she "]]',
      'substitutions/normal.substitution': '[[" isnt ", " is not "]]',
      'substitutions/denormal.substitution': '[[" is not ", " isnt "]]',
    });
    expect(say('p I love my cat')).toBe('you love your cat|he love my cat|she said');
    expect(say('n')).toBe('is not it|isnt it');
  });

  it('text transformations', () => {
    const { say } = chat(
      cat(
        'T',
        '<uppercase>ab c</uppercase>|<lowercase>AB C</lowercase>|<formal>hello big WORLD</formal>|<sentence>hello world</sentence>|<explode>ab c</explode>|<first>x y z</first>|<rest>x y z</rest>|<first></first>|<rest>x</rest>',
      ),
    );
    expect(say('t')).toBe('AB C|ab c|Hello Big World|Hello world|a b c|x|y z|NIL|NIL');
  });

  it('size, vocabulary, program and id describe the bot and the client', () => {
    const { say } = chat(
      cat('INFO', '<size/> <vocabulary/> <id/>') +
        cat('PROGRAM', '<program/>') +
        cat('TEACH', '<learnf><category><pattern>BRAND NEW WORDS</pattern><template>ok</template></category></learnf>taught'),
    );
    // Words of all patterns: INFO, PROGRAM, TEACH.
    expect(say('info')).toBe('3 3 tester');
    expect(say('program')).toBe(PROGRAM_NAME);
    say('teach');
    expect(say('info')).toBe('4 6 tester');
  });

  it('date formats with strftime in a given time zone, interval counts between dates', () => {
    const now = Date.UTC(2026, 10, 25, 12, 30, 0);
    const { say } = chat(
      cat('DATE', '<date format="%A %d %B %Y %H:%M" timezone="Europe/Paris"/>|<date format="%Y-%m-%d %I %p" timezone="-5"/>') +
        cat('AGE', '<interval format="%B %d, %Y"><style>years</style><from>August 29, 2014</from><to><date format="%B %d, %Y"/></to></interval>') +
        cat('XMAS', '<interval format="%B %d"><style>days</style><from><date format="%B %d"/></from><to>December 25</to></interval>'),
    );
    expect(say('date', { now })).toBe('Wednesday 25 November 2026 13:30|2026-11-25 07 AM');
    expect(say('age', { now, timeZone: 'UTC' })).toBe('12');
    expect(say('xmas', { now, timeZone: 'UTC' })).toBe('30');
  });

  it('think evaluates silently; eval evaluates its content', () => {
    const { say } = chat(cat('T', 'a<think><set name="x">1</set>hidden</think>b <eval><get name="x"/></eval>'));
    expect(say('t')).toBe('ab 1');
  });

  it('attribute values may be given as sub-elements', () => {
    const { say } = chat(cat('T', '<think><set><name>k</name>v</set></think><get><name>k</name></get> <star><index>1</index></star>') + cat('T *', '<star><index>1</index></star>'));
    expect(say('t')).toBe('v');
    expect(say('t zed')).toBe('zed');
  });

  it('passes rich media, HTML and unknown elements through as XML with evaluated content', () => {
    const { say } = chat(cat('MENU *', 'Pick:<button><text><star/></text><postback>GO <star/></postback></button><br/><peron>x</peron><split/>'));
    expect(say('menu tea')).toBe('Pick:<button><text>tea</text><postback>GO tea</postback></button><br/><peron>x</peron><split/>');
  });

  it('sraix asks another bot, then falls back to default, then to SRAIXFAILED', () => {
    const { bot, session } = chat(
      cat('ASK *', '<sraix bot="me/other"><star/></sraix>') + cat('TRY *', '<sraix bot="other" default="no luck"><star/></sraix>') + cat('SRAIXFAILED *', 'failed on <star/>'),
    );
    const calls: string[] = [];
    const sraix = (name: string, input: string) => {
      calls.push(`${name}:${input}`);
      return input === 'known' ? 'answer' : undefined;
    };
    expect(bot.respond(session, 'ask known', { sraix }).text).toBe('answer');
    expect(bot.respond(session, 'try unknown', { sraix }).text).toBe('no luck');
    expect(bot.respond(session, 'ask unknown', { sraix }).text).toBe('failed on unknown');
    expect(calls).toEqual(['other:known', 'other:unknown', 'other:unknown']);
  });

  it('answers each sentence and joins the answers with one space', () => {
    const { bot, session } = chat(cat('HELLO', 'Hi!') + cat('HOW ARE YOU', 'Fine.'));
    const reply = bot.respond(session, 'Hello. How are you?');
    expect(reply.text).toBe('Hi! Fine.');
    expect(reply.sentences.map((s) => s.input)).toEqual(['HELLO', 'HOW ARE YOU']);
  });
});
