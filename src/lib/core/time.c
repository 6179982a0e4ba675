/*
 * time.c: ISO 8601 date-times as claims write them, to and from POSIX
 * seconds. The text is read strictly, so that a typo is an error rather
 * than a different time. (GDAL's CPLYMDHMSToUnixTime is C++-only, so the
 * day count is the proleptic Gregorian one of H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", days_from_civil; formatting uses gmtime_r.)
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ogr_core.h>

#include "core/internal.h"

static bool read_digits(const char **p, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += count;
    *out = v;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool sm__civil_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

double sm__civil_seconds(int year, int month, int day)
{
    return (double)days_from_civil(year, month, day) * 86400.0;
}

bool sm_time_parse(const char *text, sm_when *when)
{
    memset(when, 0, sizeof(*when));
    if (text == NULL)
        return false;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    int year, month, day, hour = 0, minute = 0, second = 0;
    double frac = 0.0;
    if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &month) || *p++ != '-' ||
        !read_digits(&p, 2, &day))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return false;
    bool date_only = true;
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
        date_only = false;
        p++;
        if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute))
            return false;
        if (*p == ':') {
            p++;
            if (!read_digits(&p, 2, &second))
                return false;
            if (*p == '.' || *p == ',') {
                p++;
                double scale = 0.1;
                if (!isdigit((unsigned char)*p))
                    return false;
                while (isdigit((unsigned char)*p)) {
                    frac += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                }
            }
        }
        if (hour > 23 || minute > 59 || second > 60)
            return false;
    }
    int offset = 0;
    bool offset_given = false;
    if (*p == 'Z' || *p == 'z') {
        offset_given = true;
        p++;
    } else if ((*p == '+' || *p == '-') && !date_only) {
        int sign = *p == '-' ? -1 : 1, oh, om = 0;
        p++;
        if (!read_digits(&p, 2, &oh))
            return false;
        if (*p == ':') {
            p++;
            if (!read_digits(&p, 2, &om))
                return false;
        } else if (isdigit((unsigned char)*p)) {
            if (!read_digits(&p, 2, &om))
                return false;
        }
        if (oh > 18 || om > 59)
            return false;
        offset = sign * (oh * 60 + om);
        offset_given = true;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0')
        return false;

    double t = (double)days_from_civil(year, month, day) * 86400.0 + hour * 3600.0 + minute * 60.0 +
               second + frac - offset * 60.0;
    when->known = true;
    when->start = t;
    when->end = date_only ? t + 86400.0 : t;
    when->offset_min = offset;
    when->offset_given = offset_given;
    return true;
}

/* OGR's own text for a date-time, as its drivers write one that they hold
 * typed (ogr2ogr to CSV or KML, ogrinfo): "2016/02/10 12:55:00+02",
 * "2016/02/10 12:55:00.250-0530", "2016/02/10" (OGRFeature's
 * GetFieldAsString). GDAL's OGRParseDate reads it; but that parser is
 * lenient (it reads "12:55" as a date, stops at trailing junk and drops the
 * offset, takes 30 February), so the value it read is written back the way
 * OGR writes it and must give the text back: anything else stays an error
 * rather than a different time. */
bool sm__time_parse_ogr(const char *text, sm_when *when)
{
    memset(when, 0, sizeof(*when));
    OGRField f;
    if (text == NULL || !OGRParseDate(text, &f, 0))
        return false;
    int y = f.Date.Year, mo = f.Date.Month, d = f.Date.Day, h = f.Date.Hour, mi = f.Date.Minute;
    double sec = (double)f.Date.Second;
    int tz = f.Date.TZFlag;
    if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || !(sec >= 0 && sec < 61))
        return false;
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    /* OGR's layout: ogr/ogrfeature.cpp, OGRFeatureFormatDateTimeBuffer */
    char canon[96], iso[96];
    int n = snprintf(canon, sizeof(canon), "%04d/%02d/%02d", y, mo, d);
    bool date_only = (size_t)n == len;
    int off = 0;
    if (!date_only) {
        double whole = floor(sec);
        if (sec != whole)
            n += snprintf(canon + n, sizeof(canon) - (size_t)n, " %02d:%02d:%06.3f", h, mi, sec);
        else
            n += snprintf(canon + n, sizeof(canon) - (size_t)n, " %02d:%02d:%02d", h, mi, (int)sec);
        if (tz > 1) {
            off = (tz - 100) * 15;
            int a = off < 0 ? -off : off;
            if (a % 60 == 0)
                snprintf(canon + n, sizeof(canon) - (size_t)n, "%c%02d", off < 0 ? '-' : '+',
                         a / 60);
            else
                snprintf(canon + n, sizeof(canon) - (size_t)n, "%c%02d%02d", off < 0 ? '-' : '+',
                         a / 60, a % 60);
        }
    }
    if (strlen(canon) != len || strncmp(canon, text, len) != 0)
        return false;
    if (date_only)
        snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, mo, d);
    else if (tz > 1)
        snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%06.3f%c%02d:%02d", y, mo, d, h, mi,
                 sec, off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
                 (off < 0 ? -off : off) % 60);
    else /* 0: unknown, 1: local time; either way no offset is said */
        snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%06.3f", y, mo, d, h, mi, sec);
    return sm_time_parse(iso, when);
}

static char *put2(char *p, int v)
{
    *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

/* Written by hand rather than with snprintf: bulk outputs format two times
 * a row for millions of rows. */
char *sm_time_format(double t, int offset_min, char *buf, size_t size)
{
    struct tm tm;
    double local = floor(t + 0.5) + offset_min * 60.0;
    time_t tt = (time_t)local;
    gmtime_r(&tt, &tm);
    char tmp[40], *p = tmp;
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) {
        snprintf(buf, size, "%d-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
        return buf;
    }
    p = put2(p, year / 100);
    p = put2(p, year % 100);
    *p++ = '-';
    p = put2(p, tm.tm_mon + 1);
    *p++ = '-';
    p = put2(p, tm.tm_mday);
    *p++ = 'T';
    p = put2(p, tm.tm_hour);
    *p++ = ':';
    p = put2(p, tm.tm_min);
    *p++ = ':';
    p = put2(p, tm.tm_sec);
    if (offset_min == 0) {
        *p++ = 'Z';
    } else {
        int a = offset_min < 0 ? -offset_min : offset_min;
        *p++ = offset_min < 0 ? '-' : '+';
        p = put2(p, a / 60);
        *p++ = ':';
        p = put2(p, a % 60);
    }
    *p = '\0';
    if (size > 0) {
        size_t n = (size_t)(p - tmp) < size - 1 ? (size_t)(p - tmp) : size - 1;
        memcpy(buf, tmp, n);
        buf[n] = '\0';
    }
    return buf;
}
