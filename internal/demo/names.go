package demo

import (
	"math/rand/v2"
	"strconv"
)

// Words that make invented but plausible Chinese names. Towns and villages are made
// up from common Jiaodong patterns, so that no real place is named wrongly.
var (
	townPool = []string{"东庄", "西河", "南岚", "北沟", "青山", "柳林", "杏山", "松岚", "石岭", "龙泉", "凤山", "双河",
		"马山", "黄岭", "泉水", "官庄", "金岭", "玉林", "郭城", "唐家泊", "大泊", "高疃", "后夼", "槐山", "望海", "白马",
		"枣林", "栗山", "河洛", "桃源"}
	streetPool = []string{"向阳", "东山", "南山", "北岭", "滨海", "凤凰", "文化", "城东", "城西", "城南", "城北", "新城",
		"清泉", "金城", "龙山", "鼓楼"}
	schoolWords = []string{"育才", "实验", "新华", "胜利", "建设", "振华", "红旗", "幸福", "朝阳", "文化", "新港", "海滨",
		"明德", "博文", "崇文", "启明"}
	kgBrands = []string{"金色摇篮", "蓝天", "小天使", "贝贝", "启蒙", "童心", "阳光", "小博士", "星星", "七彩虹", "东方娃娃",
		"春苗", "快乐宝贝", "小太阳", "爱心", "智慧树", "小海星", "未来星", "金苹果", "乐乐"}
	vocFields   = []string{"卫生", "商贸", "交通", "机电", "工艺美术", "农业", "旅游", "信息工程"}
	surnames    = []string{"王", "李", "张", "刘", "孙", "赵", "姜", "于", "曲", "林", "宋", "杨", "高", "郭", "徐", "邹", "隋", "衣", "慕", "初"}
	villageEnds = []string{"家庄", "家疃", "家夼", "家沟", "格庄", "家泊", "家村", "家洼"}
	cnDigits    = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
)

// cnNumber writes 1–99 in Chinese numerals (十一, 二十, 三十五).
func cnNumber(n int) string {
	switch {
	case n < 10:
		return cnDigits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + cnDigits[n%10]
	case n < 100 && n%10 == 0:
		return cnDigits[n/10] + "十"
	case n < 100:
		return cnDigits[n/10] + "十" + cnDigits[n%10]
	}
	return strconv.Itoa(n)
}

// namer invents unique institution names within one district.
type namer struct {
	prefix  string // the district's name
	towns   []string
	streets []string
	used    map[string]bool
	ordinal map[string]int // next 第N for a pattern
}

func newNamer(prefix string, r *rand.Rand) *namer {
	nm := &namer{prefix: prefix, used: map[string]bool{}, ordinal: map[string]int{}}
	nm.towns = pick(r, townPool, 10)
	nm.streets = pick(r, streetPool, 6)
	return nm
}

// pick returns n words of pool in a random order.
func pick(r *rand.Rand, pool []string, n int) []string {
	p := append([]string(nil), pool...)
	r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p[:min(n, len(p))]
}

func (nm *namer) village(r *rand.Rand) string {
	return surnames[r.IntN(len(surnames))] + villageEnds[r.IntN(len(villageEnds))]
}

// numbered returns "第N" + rest with the next free N for the pattern.
func (nm *namer) numbered(rest string) string {
	nm.ordinal[rest]++
	return "第" + cnNumber(nm.ordinal[rest]) + rest
}

// name returns a new name for an institution of the type, location and ownership.
func (nm *namer) name(r *rand.Rand, typ instType, loc location, public bool) string {
	for try := 0; ; try++ {
		n := nm.prefix + nm.candidate(r, typ, loc, public, try)
		if !nm.used[n] {
			nm.used[n] = true
			return n
		}
	}
}

// candidate returns a name to try, without the district's prefix, for try number try
// of an institution: from the fifth try on, numbered names (第N), which never run out.
// The town, street and school word are drawn every time, used or not.
func (nm *namer) candidate(r *rand.Rand, typ instType, loc location, public bool, try int) string {
	w := nameWords{
		town:   nm.towns[r.IntN(len(nm.towns))],
		street: nm.streets[r.IntN(len(nm.streets))],
		word:   schoolWords[r.IntN(len(schoolWords))],
	}
	late := try > 3
	switch typ {
	case tKindergarten:
		return nm.kindergarten(r, w, loc, public, late)
	case tPrimary:
		return nm.primary(r, w, loc, late)
	case tJunior:
		return nm.junior(r, w, loc, late)
	case tNineYear:
		return nm.nineYear(r, w, loc, late)
	case tCompleteSecondary:
		if loc != locUrban && !late {
			return w.town + "中学"
		}
		return nm.numbered("中学")
	case tSenior:
		if try == 0 && r.IntN(3) == 0 {
			return w.word + "高级中学"
		}
		return nm.numbered("中学")
	case tSecondaryVocational:
		switch {
		case try == 0 && r.IntN(2) == 0:
			return "职业中等专业学校"
		case !late:
			return vocFields[r.IntN(len(vocFields))] + "学校"
		}
		return nm.numbered("职业中等专业学校")
	case tSpecial:
		if try == 0 {
			return "特殊教育学校"
		}
		return nm.numbered("特殊教育学校")
	}
	return nm.numbered("学校")
}

// nameWords are the words drawn for a candidate name: a town (镇) and a street (街道) of
// the district, and a school word.
type nameWords struct{ town, street, word string }

// kindergarten names a kindergarten: a private one by its brand, a public one by its
// village, town or the city's usual names.
func (nm *namer) kindergarten(r *rand.Rand, w nameWords, loc location, public, late bool) string {
	switch {
	case !public && late:
		return kgBrands[r.IntN(len(kgBrands))] + nm.numbered("幼儿园")
	case !public:
		return kgBrands[r.IntN(len(kgBrands))] + "幼儿园"
	case loc == locRural:
		return w.town + "镇" + nm.village(r) + "幼儿园"
	case loc == locTown && late:
		return w.town + "镇" + nm.numbered("幼儿园")
	case loc == locTown:
		return w.town + "镇中心幼儿园"
	case late:
		return nm.numbered("实验幼儿园")
	}
	return []string{"机关幼儿园", "实验幼儿园", w.street + "街道中心幼儿园"}[r.IntN(3)]
}

// primary names a primary school: by its village or town, or in a city an
// experimental school (实验小学) or one named by its word.
func (nm *namer) primary(r *rand.Rand, w nameWords, loc location, late bool) string {
	switch {
	case loc == locRural:
		return w.town + "镇" + nm.village(r) + "小学"
	case loc == locTown && late:
		return w.town + "镇" + nm.numbered("小学")
	case loc == locTown:
		return w.town + "镇中心小学"
	case late || r.IntN(2) == 0:
		return nm.numbered("实验小学")
	}
	return w.word + "小学"
}

// junior names a junior secondary school: in a city numbered or by its word, else by
// its town.
func (nm *namer) junior(r *rand.Rand, w nameWords, loc location, late bool) string {
	switch {
	case loc == locUrban && !late && r.IntN(3) == 0:
		return w.word + "中学"
	case loc == locUrban:
		return nm.numbered("初级中学")
	case late:
		return w.town + "镇" + nm.numbered("初级中学")
	}
	return w.town + "镇初级中学"
}

// nineYear names a nine-year school (九年一贯制): by its village or town, or in a city
// an experimental school or one named by its word.
func (nm *namer) nineYear(r *rand.Rand, w nameWords, loc location, late bool) string {
	switch {
	case loc == locRural:
		return w.town + "镇" + nm.village(r) + "学校"
	case loc == locTown && !late:
		return w.town + "镇九年一贯制学校"
	case loc == locTown:
		return w.town + "镇" + nm.numbered("学校")
	case late:
		return nm.numbered("实验学校")
	}
	return w.word + "学校"
}
