namespace CivicGrid.Domain.Calendar;

/// <summary>
/// Chinese public holidays and make-up working days as the State Council General Office (国务院办公厅) announces
/// them each November for the following year, seeded for 2025 and 2026. Later years are entered by an admin
/// through <see cref="WorkCalendarDefinition"/>.
/// </summary>
public static class ChineseHolidays
{
    /// <summary>
    /// The default calendar: Monday to Friday, 08:30–12:00 and 14:00–17:30 Beijing time, with 2025 and 2026
    /// configured. Shared; calendars are immutable.
    /// </summary>
    public static WorkCalendar Default { get; } = new([For2025(), For2026()]);

    /// <summary>
    /// 2025, from 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 12 November 2024), the first notice
    /// under the revised 全国年节及纪念日放假办法 that added a day each to the Spring Festival and Labour Day.
    /// </summary>
    public static HolidayYear For2025() => new(2025,
    [
        // 一、元旦：1月1日（周三）放假1天，不调休。
        HolidayRule.Block("元旦", new(2025, 1, 1), new(2025, 1, 1)),

        // 二、春节：1月28日至2月4日放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
        HolidayRule.Block("春节", new(2025, 1, 28), new(2025, 2, 4), new(2025, 1, 26), new(2025, 2, 8)),

        // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
        HolidayRule.Block("清明节", new(2025, 4, 4), new(2025, 4, 6)),

        // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
        HolidayRule.Block("劳动节", new(2025, 5, 1), new(2025, 5, 5), new DateOnly(2025, 4, 27)),

        // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
        HolidayRule.Block("端午节", new(2025, 5, 31), new(2025, 6, 2)),

        // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
        HolidayRule.Block("国庆节、中秋节", new(2025, 10, 1), new(2025, 10, 8), new(2025, 9, 28), new(2025, 10, 11)),
    ]);

    /// <summary>
    /// 2026, from 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025, published by Xinhua the same day).
    /// Mid-Autumn and National Day are separate holidays this year.
    /// </summary>
    public static HolidayYear For2026() => new(2026,
    [
        // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
        HolidayRule.Block("元旦", new(2026, 1, 1), new(2026, 1, 3), new DateOnly(2026, 1, 4)),

        // 二、春节：2月15日（腊月二十八、周日）至23日（正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
        HolidayRule.Block("春节", new(2026, 2, 15), new(2026, 2, 23), new(2026, 2, 14), new(2026, 2, 28)),

        // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
        HolidayRule.Block("清明节", new(2026, 4, 4), new(2026, 4, 6)),

        // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
        HolidayRule.Block("劳动节", new(2026, 5, 1), new(2026, 5, 5), new DateOnly(2026, 5, 9)),

        // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
        HolidayRule.Block("端午节", new(2026, 6, 19), new(2026, 6, 21)),

        // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
        HolidayRule.Block("中秋节", new(2026, 9, 25), new(2026, 9, 27)),

        // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
        HolidayRule.Block("国庆节", new(2026, 10, 1), new(2026, 10, 7), new(2026, 9, 20), new(2026, 10, 10)),
    ]);
}
